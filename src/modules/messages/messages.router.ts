import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import { contacts, recentConversations } from "./conversations.service.ts";
import {
  contactSchema,
  markReadSchema,
  messageListQuery,
  messagePageSchema,
  messageSchema,
  recentConversationSchema,
  sendMessageBody,
  userIdParams,
} from "./messages.schemas.ts";
import { listMessages, markConversationRead, sendMessage } from "./messages.service.ts";

const tags = ["messages"];

export function messagesRouter(deps: AppDeps, registry: OpenAPIRegistry) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "post",
      path: "/apis/messages/",
      summary: "Send a message (pushed as `message` to both sides, and a `new_message` notification to the recipient)",
      tags,
      access: "verified",
      body: sendMessageBody,
      status: 201,
      response: messageSchema,
    },
    ({ user, body }) => sendMessage(deps, user, body),
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
    ({ user, query }) => listMessages(deps, user.id, query),
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
      const { count, results } = await recentConversations(deps, user.id, query);
      return pageEnvelope(req, query, count, results);
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
      const { count, results } = await contacts(deps, user, query);
      return pageEnvelope(req, query, count, results);
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
    ({ user, params }) => markConversationRead(deps, user.id, params.user_id),
  );

  return router;
}
