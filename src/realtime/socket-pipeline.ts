// The one way to declare a socket event, as route() is for HTTP and sharing its pieces: the caller is looked up
// again with its token (verification, role or deletion may have changed since the handshake), the access rule is
// route()'s, the payload is parsed by a zod schema into route()'s 400 body, the reply is stripped by its response
// schema, and errors are acknowledged as `{ error: { code, message, details } }`, the `error` of an HTTP reply.
import type { z, ZodType } from "zod";
import type { AccountType } from "../db/client.ts";
import { loadAuthUser, type AuthUser } from "../lib/auth.ts";
import type { AppDeps } from "../lib/deps.ts";
import { toAppError } from "../lib/error-handler.ts";
import { AppError } from "../lib/errors.ts";
import { checkAccess, parseOr400, shape } from "../lib/route.ts";
import type { AppSocket } from "./socket-publisher.ts";

type EventSpec<B extends ZodType, R extends ZodType> = {
  event: string;
  access: "user" | "verified"; // a socket is always authenticated: "public" has no meaning here
  roles?: AccountType[];
  body: B;
  response: R;
  ack: string; // the key of a successful acknowledgement: `{ [ack]: response }`
};

type EventContext<B extends ZodType> = { user: AuthUser; body: z.output<B> };

export type SocketEvent = {
  event: string;
  handle: (deps: AppDeps, socket: AppSocket, payload: unknown) => Promise<Record<string, unknown>>;
};

export function socketEvent<B extends ZodType, R extends ZodType>(
  spec: EventSpec<B, R>,
  handler: (ctx: EventContext<B>) => Promise<z.input<R>>,
): SocketEvent {
  return {
    event: spec.event,
    handle: async (deps, socket, payload) => {
      const user = await loadAuthUser(deps, socket.data.token);
      checkAccess(spec, user);
      // The schema is always given here, so the parse yields its output (the {} is for route()'s absent schemas).
      const body = parseOr400(spec.body, payload, `${spec.event} payload`) as z.output<B>;
      const result = await deps.inflight.track(handler({ user, body }));
      return { [spec.ack]: shape(spec.response, result) };
    },
  };
}

export function errorBody(err: unknown): { code: string; message: string; details?: unknown } {
  const known = toAppError(err) ?? new AppError("INTERNAL", "An unexpected error occurred.");
  return { code: known.code, message: known.message, details: known.details };
}

// Binds the events to a connected socket; each acknowledges its result or its error (when the client asked for one).
export function bindSocketEvents(deps: AppDeps, socket: AppSocket, events: SocketEvent[]): void {
  for (const { event, handle } of events) {
    socket.on(event, async (payload: unknown, ack: unknown) => {
      const reply = typeof ack === "function" ? (ack as (body: unknown) => void) : () => {};
      try {
        reply(await handle(deps, socket, payload));
      } catch (err) {
        if (!toAppError(err)) deps.logger.error({ err, event }, "socket event failed");
        const body = errorBody(err);
        reply({ error: body });
        // The token no longer admits anyone (user deleted): the client reconnects with a fresh one.
        if (body.code === "UNAUTHENTICATED") socket.disconnect(true);
      }
    });
  }
}
