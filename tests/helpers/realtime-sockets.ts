// Real socket.io-client connections for the real-time tests (the servers come from useTestApp / startTestServer).
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import type { AppDeps } from "../../src/lib/deps.ts";

export type Client = { socket: ClientSocket; events: { event: string; payload: unknown }[]; close(): void };

// Connects with the token in `auth` (or as an Authorization header); resolves once connected, rejects with the
// server's refusal (connect_error) otherwise.
export function connect(url: string, token: string | undefined, via: "auth" | "header" = "auth"): Promise<Client> {
  const socket = connectClient(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...(token !== undefined && via === "auth" && { auth: { token } }),
    ...(token !== undefined && via === "header" && { extraHeaders: { Authorization: `Bearer ${token}` } }),
  });
  const events: Client["events"] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve({ socket, events, close: () => socket.close() }));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

// Resolves with the payload of the next `event` (or one already received and not yet taken).
export function nextEvent<T = unknown>(client: Client, event: string): Promise<T> {
  const seen = client.events.find((e) => e.event === event);
  if (seen) {
    client.events.splice(client.events.indexOf(seen), 1);
    return Promise.resolve(seen.payload as T);
  }
  return new Promise((resolve) => {
    const handler = (payload: T) => {
      const index = client.events.findIndex((e) => e.event === event && e.payload === payload);
      if (index >= 0) client.events.splice(index, 1);
      resolve(payload);
    };
    client.socket.once(event, handler);
  });
}

// Everything `client` received before a marker sent to it now: events travel in order, so anything that leaked to
// this socket earlier shows up here without waiting for an arbitrary time.
export async function drain(server: { deps: AppDeps }, client: Client, userId: string): Promise<string[]> {
  const marker = `marker-${Math.random()}`;
  const arrived = new Promise<void>((resolve) => {
    const onMarker = (value: unknown) => {
      if (value !== marker) return;
      client.socket.off("marker", onMarker);
      resolve();
    };
    client.socket.on("marker", onMarker);
  });
  server.deps.publisher.toUser(userId, "marker", marker);
  await arrived;
  const names = client.events.filter((e) => e.event !== "marker").map((e) => e.event);
  client.events.length = 0;
  return names;
}

export function emitWithAck<T = unknown>(client: Client, event: string, payload: unknown): Promise<T> {
  return client.socket.emitWithAck(event, payload) as Promise<T>;
}
