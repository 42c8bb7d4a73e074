// A local fake of the Stripe API at its HTTP boundary: the real `stripe` SDK talks to it through STRIPE_API_URL.
// It records every request (method, path, form body, Idempotency-Key) and behaves like Stripe where payments
// depend on it: an Idempotency-Key replays the first answer (and refuses other parameters under the same key), a
// completed session cannot be expired, a paid session has a payment intent, a charge and a balance transaction,
// refunds move amount_refunded and add balance transactions, disputes withdraw and reinstate funds.
// Routes are a table: another helper file adds endpoints with `fake.route(method, pattern, handler)`.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

type RecordedRequest = {
  method: string;
  path: string;
  form: Record<string, string>;
  query: URLSearchParams;
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
type FakeCharge = {
  id: string;
  object: "charge";
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  disputed: boolean;
  currency: string;
  payment_intent: string;
  balance_transaction: string;
  created: number;
};
type FakeRefund = {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: "succeeded" | "pending" | "failed" | "canceled";
  reason: string | null;
  metadata: Record<string, string>;
  balance_transaction: string;
  created: number;
};
type FakeDispute = {
  id: string;
  object: "dispute";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: "needs_response" | "won" | "lost";
  reason: string;
  created: number;
};
type FakeBalanceTransaction = {
  id: string;
  object: "balance_transaction";
  amount: number;
  currency: string;
  fee: number;
  net: number;
  type: "charge" | "refund" | "adjustment" | "transfer" | "transfer_refund";
  reporting_category: string;
  source: string;
  created: number;
};
// ok: answer; fail: 500 with a Stripe error body; hang: never answer (the SDK times out).
type FakeMode = "ok" | "fail" | "hang";

type Reply = { status: number; body: unknown; delayMs?: number };
type RouteContext = { match: RegExpExecArray; form: Record<string, string>; query: URLSearchParams };
type Handler = (ctx: RouteContext) => Reply;

export type FakeStripe = {
  url: string;
  requests: RecordedRequest[];
  sessions: Map<string, FakeSession>;
  charges: Map<string, FakeCharge>;
  refunds: Map<string, FakeRefund>;
  disputes: Map<string, FakeDispute>;
  balanceTransactions: FakeBalanceTransaction[];
  // Objects other route files make (transfers, reversals) that a balance transaction's source may expand to.
  sources: Map<string, unknown>;
  mode: FakeMode;
  delayMs: number; // before answering a session creation: widens the window racing requests fall into
  route(method: string, pattern: RegExp, handler: Handler): void;
  setSession(id: string, patch: Partial<FakeSession>): FakeSession;
  // The customer pays: a charge (of the session's amount, or another one) and its balance transaction.
  pay(id: string, charged?: { amount?: number; currency?: string }): FakeSession;
  chargeOf(paymentIntent: string): FakeCharge;
  // A refund made outside the API (the dashboard): as POST /v1/refunds would.
  refundInDashboard(paymentIntent: string, amount?: number): FakeRefund;
  dispute(paymentIntent: string): FakeDispute;
  closeDispute(id: string, status: "won" | "lost"): FakeDispute;
  creations(): RecordedRequest[];
  refundRequests(): RecordedRequest[];
  close(): Promise<void>;
};

const stripeError = (status: number, message: string, type = "invalid_request_error"): Reply => ({
  status,
  body: { error: { type, message } },
});
const ok = (body: unknown): Reply => ({ status: 200, body });
const now = () => Math.floor(Date.now() / 1000);

export async function startFakeStripe(): Promise<FakeStripe> {
  let counter = 0;
  const nextId = (prefix: string) =>
    `${prefix}_test_${String(++counter).padStart(4, "0")}${Math.random().toString(36).slice(2, 10)}`;
  const replies = new Map<string, { request: string; reply: Reply }>();
  const intentMetadata = new Map<string, Record<string, string>>(); // by session id, from payment_intent_data
  const routes: { method: string; pattern: RegExp; handler: Handler }[] = [];

  const balance = (
    type: FakeBalanceTransaction["type"],
    category: string,
    amount: number,
    currency: string,
    source: string,
    fee = 0,
  ) => {
    const txn: FakeBalanceTransaction = {
      id: nextId("txn"),
      object: "balance_transaction",
      amount,
      currency,
      fee,
      net: amount - fee,
      type,
      reporting_category: category,
      source,
      created: now(),
    };
    fake.balanceTransactions.push(txn);
    return txn;
  };

  const chargeOf = (paymentIntent: string) => {
    for (const c of fake.charges.values()) if (c.payment_intent === paymentIntent) return c;
    throw new Error(`no fake charge for ${paymentIntent}`);
  };

  function refund(charge: FakeCharge, amount: number, form: Record<string, string>): Reply {
    if (amount <= 0 || amount > charge.amount - charge.amount_refunded) {
      return stripeError(400, `Refund amount (${amount}) is greater than unrefunded amount on charge.`);
    }
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const id = nextId("re");
    const txn = balance("refund", "refund", -amount, charge.currency, id);
    const made: FakeRefund = {
      id,
      object: "refund",
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      status: "succeeded",
      reason: form.reason ?? null,
      metadata: formMap(form, "metadata"),
      balance_transaction: txn.id,
      created: now(),
    };
    fake.refunds.set(id, made);
    return ok(made);
  }

  const fake: FakeStripe = {
    url: "",
    requests: [],
    sessions: new Map(),
    charges: new Map(),
    refunds: new Map(),
    disputes: new Map(),
    balanceTransactions: [],
    sources: new Map(),
    mode: "ok",
    delayMs: 0,
    route: (method, pattern, handler) => routes.push({ method, pattern, handler }),
    setSession(id, patch) {
      const s = fake.sessions.get(id);
      if (!s) throw new Error(`no fake session ${id}`);
      Object.assign(s, patch);
      return s;
    },
    pay(id, charged = {}) {
      const session = fake.sessions.get(id);
      if (!session) throw new Error(`no fake session ${id}`);
      if (session.payment_intent) return fake.setSession(id, { status: "complete", payment_status: "paid" });
      const pi = `pi_test_${id.slice(8)}`;
      const amount = charged.amount ?? session.amount_total;
      const currency = charged.currency ?? session.currency;
      const chargeId = nextId("ch");
      const txn = balance("charge", "charge", amount, currency, chargeId, Math.round(amount * 0.029) + 30);
      fake.charges.set(chargeId, {
        id: chargeId,
        object: "charge",
        amount,
        amount_refunded: 0,
        refunded: false,
        disputed: false,
        currency,
        payment_intent: pi,
        balance_transaction: txn.id,
        created: now(),
      });
      return fake.setSession(id, {
        status: "complete",
        payment_status: "paid",
        payment_intent: pi,
        amount_total: amount,
        currency,
      });
    },
    chargeOf,
    refundInDashboard(paymentIntent, amount) {
      const charge = chargeOf(paymentIntent);
      const reply = refund(charge, amount ?? charge.amount - charge.amount_refunded, {});
      if (reply.status !== 200) throw new Error("dashboard refund refused");
      return reply.body as FakeRefund;
    },
    dispute(paymentIntent) {
      const charge = chargeOf(paymentIntent);
      charge.disputed = true;
      const dispute: FakeDispute = {
        id: nextId("dp"),
        object: "dispute",
        amount: charge.amount - charge.amount_refunded,
        currency: charge.currency,
        charge: charge.id,
        payment_intent: paymentIntent,
        status: "needs_response",
        reason: "fraudulent",
        created: now(),
      };
      fake.disputes.set(dispute.id, dispute);
      balance("adjustment", "dispute", -dispute.amount, dispute.currency, dispute.id, 1500);
      return dispute;
    },
    closeDispute(id, status) {
      const dispute = fake.disputes.get(id);
      if (!dispute) throw new Error(`no fake dispute ${id}`);
      dispute.status = status;
      if (status === "won") balance("adjustment", "dispute_reversal", dispute.amount, dispute.currency, id);
      return dispute;
    },
    creations: () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions"),
    refundRequests: () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/refunds"),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function createSession(form: Record<string, string>): FakeSession {
    const id = nextId("cs");
    const unit = Number(form["line_items[0][price_data][unit_amount]"] ?? 0);
    const quantity = Number(form["line_items[0][quantity]"] ?? 1);
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
      metadata: formMap(form, "metadata"),
      payment_intent: null,
      success_url: form.success_url ?? "",
      cancel_url: form.cancel_url ?? "",
      url: `https://checkout.stripe.test/c/pay/${id}`,
    };
    fake.sessions.set(id, session);
    intentMetadata.set(id, formMap(form, "payment_intent_data[metadata]"));
    return session;
  }

  fake.route("POST", /^\/v1\/checkout\/sessions$/, ({ form }) => ({
    ...ok(createSession(form)),
    delayMs: fake.delayMs,
  }));
  fake.route("GET", /^\/v1\/checkout\/sessions\/([^/]+)$/, ({ match }) => {
    const session = fake.sessions.get(decodeURIComponent(match[1] ?? ""));
    return session ? ok(session) : stripeError(404, `No such checkout.session: '${match[1]}'`);
  });
  fake.route("POST", /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, ({ match }) => {
    const session = fake.sessions.get(decodeURIComponent(match[1] ?? ""));
    if (!session) return stripeError(404, `No such checkout.session: '${match[1]}'`);
    if (session.status !== "open")
      return stripeError(400, "Only Checkout Sessions with a status of open can be expired.");
    session.status = "expired";
    return ok(session);
  });
  fake.route("GET", /^\/v1\/payment_intents\/([^/]+)$/, ({ match }) => {
    const session = [...fake.sessions.values()].find((x) => x.payment_intent === match[1]);
    if (!session) return stripeError(404, `No such payment_intent: '${match[1]}'`);
    const charge = chargeOf(session.payment_intent ?? "");
    return ok({
      id: session.payment_intent,
      object: "payment_intent",
      amount: charge.amount,
      currency: charge.currency,
      status: "succeeded",
      latest_charge: charge.id,
      metadata: intentMetadata.get(session.id) ?? {},
    });
  });
  fake.route("POST", /^\/v1\/refunds$/, ({ form }) => {
    const charge = form.charge
      ? fake.charges.get(form.charge)
      : [...fake.charges.values()].find((c) => c.payment_intent === form.payment_intent);
    if (!charge) return stripeError(404, `No such payment_intent: '${form.payment_intent ?? form.charge}'`);
    return refund(charge, form.amount ? Number(form.amount) : charge.amount - charge.amount_refunded, form);
  });
  fake.route("GET", /^\/v1\/balance_transactions$/, ({ query }) => {
    const gte = Number(query.get("created[gte]") ?? 0);
    const limit = Number(query.get("limit") ?? 10);
    const after = query.get("starting_after");
    const expand =
      query.getAll("expand[]").includes("data.source") || query.getAll("expand[0]").includes("data.source");
    // Stripe lists newest first.
    let list = [...fake.balanceTransactions].filter((t) => t.created >= gte).reverse();
    if (after) list = list.slice(list.findIndex((t) => t.id === after) + 1);
    const page = list.slice(0, limit).map((t) => (expand ? { ...t, source: sourceObject(t.source) } : t));
    return ok({ object: "list", url: "/v1/balance_transactions", has_more: list.length > limit, data: page });
  });

  const sourceObject = (id: string) =>
    fake.charges.get(id) ?? fake.refunds.get(id) ?? fake.disputes.get(id) ?? fake.sources.get(id) ?? id;

  function dispatch(method: string, path: string, form: Record<string, string>, query: URLSearchParams): Reply {
    for (const r of routes) {
      const match = r.method === method ? r.pattern.exec(path) : null;
      if (match) return r.handler({ match, form, query });
    }
    return stripeError(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const [path = "", search = ""] = (req.url ?? "").split("?");
      const method = req.method ?? "GET";
      const form = Object.fromEntries(new URLSearchParams(body));
      const query = new URLSearchParams(search);
      const header = req.headers["idempotency-key"];
      const key = typeof header === "string" ? `${method} ${header}` : undefined;
      fake.requests.push({
        method,
        path,
        form,
        query,
        idempotencyKey: typeof header === "string" ? header : undefined,
      });
      if (fake.mode === "hang") return; // the SDK gives up after its timeout
      const send = (reply: Reply) => {
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (reply.status >= 400) headers["Stripe-Should-Retry"] = "false";
        res.writeHead(reply.status, headers);
        res.end(JSON.stringify(reply.body));
      };
      if (fake.mode === "fail") return send(stripeError(500, "Something went wrong on Stripe's end.", "api_error"));
      // Stripe replays the first answer for a key (successes and 400s alike); other parameters are an error.
      const earlier = key ? replies.get(key) : undefined;
      const signature = `${path} ${body}`;
      if (earlier && earlier.request !== signature) {
        return send(
          stripeError(
            400,
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            "idempotency_error",
          ),
        );
      }
      const reply = earlier?.reply ?? dispatch(method, path, form, query);
      if (key && !earlier && reply.status < 500) replies.set(key, { request: signature, reply });
      if (reply.delayMs) setTimeout(() => send(reply), reply.delayMs);
      else send(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

// metadata[a]=1 -> {a: "1"}
function formMap(form: Record<string, string>, name: string): Record<string, string> {
  const prefix = `${name}[`;
  return Object.fromEntries(
    Object.entries(form)
      .filter(([k]) => k.startsWith(prefix) && k.endsWith("]") && !k.slice(prefix.length, -1).includes("["))
      .map(([k, v]) => [k.slice(prefix.length, -1), v]),
  );
}

export const WEBHOOK_SECRET = "whsec_test_collabhub_fake_secret";

// A Stripe event as Stripe would post it, signed with the SDK's own test helper. `extra` overrides event fields
// (e.g. {data: null} for a malformed one).
export function signedEvent(
  type: string,
  object: object,
  id = `evt_${Math.random().toString(36).slice(2, 14)}`,
  secret = WEBHOOK_SECRET,
  extra: Record<string, unknown> = {},
) {
  const payload = JSON.stringify({
    id,
    object: "event",
    type,
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object },
    ...extra,
  });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return { id, payload, header };
}
