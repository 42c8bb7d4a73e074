// The socket events of the messages module, through the one socket pipeline (src/realtime/socket-pipeline.ts): the
// `message` event sends a message with the same validation, rules and reply shape as POST /apis/messages/.
import { socketEvent } from "../../realtime/socket-pipeline.ts";
import { messageSchema, sendMessageBody } from "./messages.schemas.ts";
import type { MessagesService } from "./messages.service.ts";

export function messagesSocket({ messages }: { messages: MessagesService }) {
  return [
    socketEvent(
      { event: "message", access: "verified", body: sendMessageBody, response: messageSchema, ack: "message" },
      async ({ user, body }) => messages.send(user, body),
    ),
  ];
}
