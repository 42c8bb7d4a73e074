// Socket.IO on the HTTP server: the handshake authenticates with the access token, each socket joins only its own
// user's room, and the modules' socket events (src/modules/index.ts) are bound through the socket pipeline.
import type http from "node:http";
import jwt from "jsonwebtoken";
import { Server, type DefaultEventsMap, type ExtendedError } from "socket.io";
import { bearerToken, loadAuthUser } from "../lib/auth.ts";
import type { AppDeps } from "../lib/deps.ts";
import { unauthenticated } from "../lib/errors.ts";
import { toAppError } from "../lib/error-handler.ts";
import type { Publisher } from "./publisher.ts";
import { useRedisAdapter, type AdapterConnections } from "./redis-adapter.ts";
import { bindSocketEvents, errorBody, type SocketEvent } from "./socket-pipeline.ts";
import { socketPublisher, userRoom, type AppServer, type AppSocket, type SocketData } from "./socket-publisher.ts";

export type Realtime = {
  io: AppServer;
  publisher: Publisher;
  disconnectAll(): void; // local sockets only: on shutdown their clients reconnect to another instance
  close(): Promise<void>;
};

const MAX_TIMER_MS = 2 ** 31 - 1;

function handshakeToken(socket: AppSocket): string | undefined {
  const auth: unknown = socket.handshake.auth;
  const fromAuth = typeof auth === "object" && auth !== null && "token" in auth ? auth.token : undefined;
  if (typeof fromAuth === "string" && fromAuth) return fromAuth.replace(/^Bearer\s+/i, "");
  return bearerToken(socket.handshake.headers.authorization);
}

// Refused handshakes reach the client as `connect_error` with this message and `data.code`. An admitted socket joins
// its user's room here, before its client hears `connect`: with the Redis adapter, the instance's subscription to
// that room's channel is then in place, so an event caused right after the connection reaches it from any instance.
function authMiddleware(deps: AppDeps, adapter: AdapterConnections | undefined) {
  return (socket: AppSocket, next: (err?: ExtendedError) => void) => {
    const token = handshakeToken(socket);
    const refuse = (err: unknown) => {
      if (!toAppError(err)) deps.logger.error({ err }, "socket handshake failed");
      const body = errorBody(err);
      next(Object.assign(new Error(body.message), { data: { code: body.code } }));
    };
    if (!token) {
      refuse(unauthenticated("An access token is required: auth.token or an Authorization: Bearer header."));
      return;
    }
    loadAuthUser(deps, token).then((user) => {
      socket.data.user = user;
      socket.data.token = token;
      expireWithToken(socket, token);
      // No event lets a client join any other room: rooms are decided here only.
      const room = userRoom(user.id);
      void socket.join(room);
      void (adapter?.subscribed(room) ?? Promise.resolve()).then(() => next());
    }, refuse);
  };
}

// A socket lives no longer than its token; the client reconnects with a fresh one.
function expireWithToken(socket: AppSocket, token: string) {
  const payload = jwt.decode(token);
  const exp =
    typeof payload === "object" && payload !== null && typeof payload.exp === "number" ? payload.exp : undefined;
  if (exp === undefined) return;
  const timer = setTimeout(() => socket.disconnect(true), Math.min(Math.max(exp * 1000 - Date.now(), 0), MAX_TIMER_MS));
  timer.unref();
  socket.on("disconnect", () => clearTimeout(timer));
}

export async function attachRealtime(deps: AppDeps, httpServer: http.Server, events: SocketEvent[]): Promise<Realtime> {
  const io: AppServer = new Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>(httpServer, {
    serveClient: false,
    cors: { origin: deps.config.CORS_ORIGINS },
  });
  let adapter: AdapterConnections | undefined;
  if (deps.redis) adapter = await useRedisAdapter(io, deps.redis, deps.logger);
  io.use(authMiddleware(deps, adapter));
  io.on("connection", (socket) => bindSocketEvents(deps, socket, events));

  const publisher = socketPublisher(io);
  deps.publisherRelay.plug(publisher);
  return {
    io,
    publisher,
    disconnectAll: () => {
      io.local.disconnectSockets(true);
      io.engine.close();
    },
    close: async () => {
      deps.publisherRelay.unplug(publisher);
      await io.of("/").adapter.close();
      await adapter?.close();
    },
  };
}
