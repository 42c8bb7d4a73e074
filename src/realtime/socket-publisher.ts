// The Publisher over Socket.IO: each user's sockets sit in the room `user:<id>`. With the Redis adapter, emits and
// disconnects reach the sockets of every instance.
import type { DefaultEventsMap, Server, Socket } from "socket.io";
import type { AuthUser } from "../lib/auth.ts";
import type { Publisher } from "./publisher.ts";

// The handshake's user and token: each event looks the user up again with the token (socket-pipeline.ts).
export type SocketData = { user: AuthUser; token: string };
export type AppServer = Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
export type AppSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;

export function socketPublisher(io: AppServer): Publisher {
  return {
    toUser: (userIds, event, payload) => {
      io.to(typeof userIds === "string" ? userRoom(userIds) : userIds.map(userRoom)).emit(event, payload);
    },
    disconnectUser: (userId) => {
      io.in(userRoom(userId)).disconnectSockets(true);
    },
  };
}
