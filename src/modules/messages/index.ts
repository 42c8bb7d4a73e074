// The messages module's public API.
export { createConversationsService } from "./conversations.service.ts";
export { messagesRouter } from "./messages.router.ts";
export { createMessagesService, SEND_MESSAGE_RATE } from "./messages.service.ts";
export { messagesSocket } from "./messages.socket.ts";
