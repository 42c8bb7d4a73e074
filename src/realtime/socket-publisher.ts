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
    // One emit per user: the sharded Redis adapter carries a one-room emit on that room's channel, heard only by the
    // instances hosting the user's sockets (an emit to several rooms would go to every instance). Each socket is in
    // its own user's room only, so it still gets the event once (a user named twice is emitted to once).
    toUser: (userIds, event, payload) => {
      for (const id of typeof userIds === "string" ? [userIds] : new Set(userIds))
        io.to(userRoom(id)).emit(event, payload);
    },
    disconnectUser: (userId) => {
      io.in(userRoom(userId)).disconnectSockets(true);
    },
  };
}
