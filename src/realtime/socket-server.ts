// Socket.IO on the HTTP server: the handshake authenticates with the access token, each socket joins only its own
// user's room, and a client may send messages over the socket (same validation and rules as POST /apis/messages/).
import type http from "node:http";
import jwt from "jsonwebtoken";
import { Server, type DefaultEventsMap, type ExtendedError } from "socket.io";
import { z } from "zod";
import { bearerToken, loadAuthUser } from "../lib/auth.ts";
import type { AppDeps } from "../lib/deps.ts";
import { AppError, unauthenticated } from "../lib/errors.ts";
import { sendMessageBody } from "../modules/messages/messages.schemas.ts";
import { sendMessage } from "../modules/messages/messages.service.ts";
import { LateBoundPublisher, type Publisher } from "./publisher.ts";
import { useRedisAdapter, type AdapterConnections } from "./redis-adapter.ts";
import { socketPublisher, userRoom, type AppServer, type AppSocket, type SocketData } from "./socket-publisher.ts";

export type Realtime = {
  io: AppServer;
  publisher: Publisher;
  disconnectAll(): void; // local sockets only: on shutdown their clients reconnect to another instance
  close(): Promise<void>;
};
type ErrorBody = { code: string; message: string; details?: unknown };

const MAX_TIMER_MS = 2 ** 31 - 1;

function errorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details };
  return { code: "INTERNAL", message: "An unexpected error occurred." };
}

function handshakeToken(socket: AppSocket): string | undefined {
  const auth: unknown = socket.handshake.auth;
  const fromAuth = typeof auth === "object" && auth !== null && "token" in auth ? auth.token : undefined;
  if (typeof fromAuth === "string" && fromAuth) return fromAuth.replace(/^Bearer\s+/i, "");
  return bearerToken(socket.handshake.headers.authorization);
}

// Refused handshakes reach the client as `connect_error` with this message and `data.code`.
function authMiddleware(deps: AppDeps) {
  return (socket: AppSocket, next: (err?: ExtendedError) => void) => {
    const token = handshakeToken(socket);
    const refuse = (err: unknown) => {
      if (!(err instanceof AppError)) deps.logger.error({ err }, "socket handshake failed");
      const body = errorBody(err);
      next(Object.assign(new Error(body.message), { data: { code: body.code } }));
    };
    if (!token) {
      refuse(unauthenticated("An access token is required: auth.token or an Authorization: Bearer header."));
      return;
    }
    loadAuthUser(deps, token).then((user) => {
      socket.data.user = user;
      expireWithToken(socket, token);
      next();
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

function onConnection(deps: AppDeps, socket: AppSocket) {
  const { id } = socket.data.user;
  void socket.join(userRoom(id));
  // No event lets a client join any other room: rooms are decided here only.
  socket.on("message", async (payload: unknown, ack: unknown) => {
    const reply = typeof ack === "function" ? (ack as (body: unknown) => void) : () => {};
    try {
      // Re-read the sender: verification or deletion may have changed since the handshake.
      const sender = await deps.db.user.findUnique({
        where: { id },
        select: { id: true, email: true, accountType: true, isVerified: true },
      });
      if (!sender) {
        reply({ error: errorBody(unauthenticated("The access token is invalid or expired.")) });
        socket.disconnect(true);
        return;
      }
      const parsed = sendMessageBody.safeParse(payload);
      if (!parsed.success) {
        reply({
          error: {
            code: "VALIDATION_ERROR",
            message: "Invalid message.",
            details: z.flattenError(parsed.error).fieldErrors,
          },
        });
        return;
      }
      reply({ message: await sendMessage(deps, sender, parsed.data) });
    } catch (err) {
      if (!(err instanceof AppError)) deps.logger.error({ err }, "socket message failed");
      reply({ error: errorBody(err) });
    }
  });
}

export async function attachRealtime(deps: AppDeps, httpServer: http.Server): Promise<Realtime> {
  const { config } = deps;
  const io: AppServer = new Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>(httpServer, {
    serveClient: false,
    cors: { origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : [config.FRONTEND_URL] },
  });
  let adapter: AdapterConnections | undefined;
  if (deps.redis) adapter = await useRedisAdapter(io, deps.redis, deps.logger);
  io.use(authMiddleware(deps));
  io.on("connection", (socket) => onConnection(deps, socket));

  const publisher = socketPublisher(io);
  if (deps.publisher instanceof LateBoundPublisher) deps.publisher.bind(publisher);
  return {
    io,
    publisher,
    disconnectAll: () => {
      io.local.disconnectSockets(true);
      io.engine.close();
    },
    close: async () => {
      if (deps.publisher instanceof LateBoundPublisher) deps.publisher.unbind(publisher);
      await io.of("/").adapter.close();
      await adapter?.close();
    },
  };
}
