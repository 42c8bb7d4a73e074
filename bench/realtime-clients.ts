// The socket.io clients of bench/realtime.ts, in a process of their own so that 500 clients' work (handshakes,
// heartbeats, frames) does not delay the measuring process's requests and timers. Each `message` event is reported to
// the parent with the time it arrived on the clock both processes share (sharedClock), so the IPC hop is not
// counted. Only the recipient's copy is reported (each message is also pushed to its sender's socket, which the
// parent never timed): half the IPC messages, and the parent no longer wakes for events it throws away.
import { io, type Socket } from "socket.io-client";
import { runPool } from "./bench-stats.ts";

type Client = { url: string; token: string; userId: string };
export type ClientsRequest = { type: "connect"; clients: Client[] } | { type: "close" };
export type ClientsReport =
  { type: "connected" } | { type: "closed" } | { type: "message"; client: number; content: string; at: number };

// CLOCK_MONOTONIC in ms, the same clock in every process of the machine. Not timeOrigin + now(): timeOrigin is the
// wall clock when the process started, and a clock step between the two processes' starts offset every latency (a
// run after one showed each event 80 ms after its POST's response, all within 16 ms of that).
export const sharedClock = () => Number(process.hrtime.bigint()) / 1e6;

const send = (report: ClientsReport) => process.send?.(report);

function connectClient(url: string, token: string): Promise<Socket> {
  const socket = io(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

if (process.send) {
  const sockets: Socket[] = [];
  process.on("message", (request: ClientsRequest) => {
    if (request.type === "close") {
      for (const s of sockets) s.close();
      send({ type: "closed" });
      process.disconnect();
      return;
    }
    void runPool(request.clients.length, 50, async (i) => {
      const { url, token, userId } = request.clients[i] as Client;
      const socket = await connectClient(url, token);
      socket.on("message", (m: { content: string; recipient: { id: string } }) => {
        if (m.recipient.id === userId) send({ type: "message", client: i, content: m.content, at: sharedClock() });
      });
      sockets.push(socket);
    }).then(() => send({ type: "connected" }));
  });
}
