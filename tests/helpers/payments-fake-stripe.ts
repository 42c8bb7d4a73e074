// A local fake of the Stripe API at its HTTP boundary: the real `stripe` SDK talks to it through STRIPE_API_URL.
// It records every request (method, path, form body, Idempotency-Key) and implements what payments use:
// POST /v1/checkout/sessions (idempotent by key), GET /v1/checkout/sessions/:id, POST .../:id/expire.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

type RecordedRequest = {
  method: string;
  path: string;
  form: Record<string, string>;
  idempotencyKey: string | undefined;
};
type FakeSession = {
  id: string;
  object: "checkout.session";
  mode: string;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
  url: string | null;
};
// ok: answer; fail: 500 with a Stripe error body; hang: never answer (the SDK times out).
type FakeMode = "ok" | "fail" | "hang";

export type FakeStripe = {
  url: string;
  requests: RecordedRequest[];
  sessions: Map<string, FakeSession>;
  mode: FakeMode;
  delayMs: number; // before answering a session creation: widens the window racing requests fall into
  setSession(id: string, patch: Partial<FakeSession>): FakeSession;
  pay(id: string): FakeSession;
  creations(): RecordedRequest[];
  close(): Promise<void>;
};

function stripeError(res: http.ServerResponse, status: number, message: string, type = "invalid_request_error") {
  res.writeHead(status, { "Content-Type": "application/json", "Stripe-Should-Retry": "false" });
  res.end(JSON.stringify({ error: { type, message } }));
}

export async function startFakeStripe(): Promise<FakeStripe> {
  let counter = 0;
  const byKey = new Map<string, FakeSession>();
  const fake: FakeStripe = {
    url: "",
    requests: [],
    sessions: new Map(),
    mode: "ok",
    delayMs: 0,
    setSession(id, patch) {
      const s = fake.sessions.get(id);
      if (!s) throw new Error(`no fake session ${id}`);
      Object.assign(s, patch);
      return s;
    },
    pay: (id) =>
      fake.setSession(id, { status: "complete", payment_status: "paid", payment_intent: `pi_test_${id.slice(8)}` }),
    creations: () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions"),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function createSession(form: Record<string, string>): FakeSession {
    const id = `cs_test_${String(++counter).padStart(4, "0")}${Math.random().toString(36).slice(2, 10)}`;
    const unit = Number(form["line_items[0][price_data][unit_amount]"] ?? 0);
    const quantity = Number(form["line_items[0][quantity]"] ?? 1);
    const metadata = Object.fromEntries(
      Object.entries(form)
        .filter(([k]) => /^metadata\[[^\]]+\]$/.test(k))
        .map(([k, v]) => [k.slice("metadata[".length, -1), v]),
    );
    const session: FakeSession = {
      id,
      object: "checkout.session",
      mode: form.mode ?? "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: unit * quantity,
      currency: form["line_items[0][price_data][currency]"] ?? "usd",
      client_reference_id: form.client_reference_id ?? null,
      customer_email: form.customer_email ?? null,
      metadata,
      payment_intent: null,
      success_url: form.success_url ?? "",
      cancel_url: form.cancel_url ?? "",
      url: `https://checkout.stripe.test/c/pay/${id}`,
    };
    fake.sessions.set(id, session);
    return session;
  }

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0] ?? "";
      const method = req.method ?? "GET";
      const form = Object.fromEntries(new URLSearchParams(body));
      const key = req.headers["idempotency-key"];
      fake.requests.push({ method, path, form, idempotencyKey: typeof key === "string" ? key : undefined });
      if (fake.mode === "hang") return; // the SDK gives up after its timeout
      if (fake.mode === "fail") return stripeError(res, 500, "Something went wrong on Stripe's end.", "api_error");
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (method === "POST" && path === "/v1/checkout/sessions") {
        const idempotencyKey = typeof key === "string" ? key : undefined;
        const session = (idempotencyKey && byKey.get(idempotencyKey)) || createSession(form);
        if (idempotencyKey) byKey.set(idempotencyKey, session);
        setTimeout(() => send(200, session), fake.delayMs);
        return;
      }
      const match = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path);
      const session = match?.[1] ? fake.sessions.get(decodeURIComponent(match[1])) : undefined;
      if (!match) return stripeError(res, 404, `Unrecognized request URL (${method}: ${path}).`);
      if (!session) return stripeError(res, 404, `No such checkout.session: '${match[1]}'`);
      if (method === "GET" && !match[2]) return send(200, session);
      if (method === "POST" && match[2]) {
        if (session.status !== "open")
          return stripeError(res, 400, "Only Checkout Sessions with a status of open can be expired.");
        session.status = "expired";
        return send(200, session);
      }
      return stripeError(res, 404, `Unrecognized request URL (${method}: ${path}).`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

export const WEBHOOK_SECRET = "whsec_test_collabhub_fake_secret";

// A Stripe event as Stripe would post it, signed with the SDK's own test helper.
export function signedEvent(
  type: string,
  object: object,
  id = `evt_${Math.random().toString(36).slice(2, 14)}`,
  secret = WEBHOOK_SECRET,
) {
  const payload = JSON.stringify({
    id,
    object: "event",
    type,
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return { id, payload, header };
}
