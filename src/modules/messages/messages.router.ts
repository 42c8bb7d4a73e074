import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import type { ConversationsService } from "./conversations.service.ts";
import {
  contactSchema,
  markReadSchema,
  messageListQuery,
  messagePageSchema,
  messageSchema,
  recentConversationSchema,
  sendMessageBody,
  toContactResponse,
  toMarkReadResponse,
  toMessageResponse,
  toRecentConversationResponse,
  userIdParams,
} from "./messages.schemas.ts";
import type { MessagesService } from "./messages.service.ts";

const tags = ["messages"];

export function messagesRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { messages, conversations }: { messages: MessagesService; conversations: ConversationsService },
) {
  const { router, route } = createRouter(deps, registry);
  const { config } = deps;

  route(
    {
      method: "post",
      path: "/apis/messages/",
      summary: "Send a message (pushed as `message` to both sides, and a `new_message` notification to the recipient)",
      tags,
      access: "verified",
      callerRow: true, // the send statement reads the sender's row (route.ts: Caller)
      body: sendMessageBody,
      status: 201,
      response: messageSchema,
    },
    async ({ user, body }) => messages.send(user, body),
  );

  route(
    {
      method: "get",
      path: "/apis/messages/",
      summary: "One conversation (`with`), or all the caller's messages; newest first, paged by `before`",
      tags,
      access: "user",
      query: messageListQuery,
      response: messagePageSchema,
    },
    async ({ user, query }) => {
      const { rows, nextBefore } = await messages.list(user.id, query);
      return { results: rows.map((m) => toMessageResponse(config, m)), next_before: nextBefore };
    },
  );

  route(
    {
      method: "get",
      path: "/apis/messages/recent/",
      summary: "One row per conversation partner: last message, its time, unread count; newest first",
      tags,
      access: "user",
      query: paginationQuery,
      response: paginatedSchema(recentConversationSchema),
    },
    async ({ user, query, req }) => {
      const { count, rows } = await conversations.recent(user.id, query);
      return pageEnvelope(
        req,
        query,
        count,
        rows.map((c) => toRecentConversationResponse(config, c)),
      );
    },
  );

  route(
    {
      method: "get",
      path: "/apis/messages/contacts/",
      summary: "People the caller has messaged or can message (the other side of its campaigns and bids)",
      tags,
      access: "user",
      query: paginationQuery,
      response: paginatedSchema(contactSchema),
    },
    async ({ user, query, req }) => {
      const { count, rows } = await conversations.contacts(user, query);
      return pageEnvelope(
        req,
        query,
        count,
        rows.map((c) => toContactResponse(config, c)),
      );
    },
  );

  route(
    {
      method: "put",
      path: "/apis/messages/:user_id/read/",
      summary: "Mark what this user sent the caller as read (pushes `message_read` to them)",
      tags,
      access: "user",
      params: userIdParams,
      response: markReadSchema,
    },
    async ({ user, params }) => toMarkReadResponse(await messages.markConversationRead(user.id, params.user_id)),
  );

  return router;
}
