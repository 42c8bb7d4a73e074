// Stripe Connect on the fake Stripe (tests/helpers/payments-fake-stripe.ts): Express accounts, account links,
// transfers (with source_transaction checked against the charge and its balance transaction) and transfer reversals,
// added to its route table. The fake's core replays an Idempotency-Key's first answer, as Stripe does, so a retried
// transfer or reversal with its key is the same object. Connect events are signed like Stripe's, with `account`.
import Stripe from "stripe";
import type { FakeStripe } from "./payments-fake-stripe.ts";

type FakeAccount = {
  id: string;
  object: "account";
  type: "express";
  email: string | null;
  details_submitted: boolean;
  payouts_enabled: boolean;
  charges_enabled: boolean;
  capabilities: Record<string, string>;
  requirements: { currently_due: string[] };
  settings: { payouts: { schedule: { interval: string; delay_days: number } } };
  metadata: Record<string, string>;
};
type FakeTransfer = {
  id: string;
  object: "transfer";
  amount: number;
  amount_reversed: number;
  currency: string;
  destination: string;
  source_transaction: string | null;
  transfer_group: string | null;
  reversed: boolean;
  metadata: Record<string, string>;
  created: number;
};

export type FakeConnect = {
  accounts: Map<string, FakeAccount>;
  transfers: Map<string, FakeTransfer>;
  failTransfers: number; // the next N transfer creations answer 500 (not replayed: Stripe saves no 500 for a key)
  // The influencer finished onboarding at Stripe: details submitted, payouts enabled, nothing due.
  completeOnboarding(accountId: string): FakeAccount;
  transferRequests(): FakeStripe["requests"];
  reversalRequests(): FakeStripe["requests"];
};

const now = () => Math.floor(Date.now() / 1000);
const error = (status: number, message: string, type = "invalid_request_error") => ({
  status,
  body: { error: { type, message } },
});
const ok = (body: unknown) => ({ status: 200, body });
const metadataOf = (form: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(form)
      .filter(([k]) => k.startsWith("metadata[") && k.endsWith("]"))
      .map(([k, v]) => [k.slice(9, -1), v]),
  );

export function addConnect(fake: FakeStripe): FakeConnect {
  let counter = 0;
  const nextId = (prefix: string) =>
    `${prefix}_test_${String(++counter).padStart(4, "0")}${Math.random().toString(36).slice(2, 8)}`;
  const connect: FakeConnect = {
    accounts: new Map(),
    transfers: new Map(),
    failTransfers: 0,
    completeOnboarding(accountId) {
      const account = connect.accounts.get(accountId);
      if (!account) throw new Error(`no fake account ${accountId}`);
      Object.assign(account, { details_submitted: true, payouts_enabled: true, charges_enabled: true });
      account.capabilities.transfers = "active";
      account.requirements.currently_due = [];
      return account;
    },
    transferRequests: () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/transfers"),
    reversalRequests: () =>
      fake.requests.filter((r) => r.method === "POST" && /^\/v1\/transfers\/[^/]+\/reversals$/.test(r.path)),
  };

  fake.route("POST", /^\/v1\/accounts$/, ({ form }) => {
    const account: FakeAccount = {
      id: nextId("acct"),
      object: "account",
      type: "express",
      email: form.email ?? null,
      details_submitted: false,
      payouts_enabled: false,
      charges_enabled: false,
      capabilities: form["capabilities[transfers][requested]"] === "true" ? { transfers: "inactive" } : {},
      requirements: { currently_due: ["external_account", "individual.dob.day", "tos_acceptance.date"] },
      settings: { payouts: { schedule: { interval: "daily", delay_days: 2 } } },
      metadata: metadataOf(form),
    };
    connect.accounts.set(account.id, account);
    return ok(account);
  });
  fake.route("GET", /^\/v1\/accounts\/([^/]+)$/, ({ match }) => {
    const account = connect.accounts.get(match[1] ?? "");
    return account ? ok(account) : error(404, `No such account: '${match[1]}'`);
  });
  fake.route("POST", /^\/v1\/account_links$/, ({ form }) => {
    if (!connect.accounts.has(form.account ?? "")) return error(404, `No such account: '${form.account}'`);
    if (form.type !== "account_onboarding" || !form.refresh_url || !form.return_url) {
      return error(400, "Missing required param: type, refresh_url or return_url.");
    }
    return ok({
      object: "account_link",
      created: now(),
      expires_at: now() + 300,
      url: `https://connect.stripe.test/setup/e/${form.account}/${nextId("link")}`,
    });
  });
  fake.route("POST", /^\/v1\/transfers$/, ({ form }) => {
    if (connect.failTransfers > 0) {
      connect.failTransfers--;
      return error(500, "Something went wrong on Stripe's end.", "api_error");
    }
    const account = connect.accounts.get(form.destination ?? "");
    if (!account) return error(400, `No such destination: '${form.destination}'`);
    if (account.capabilities.transfers !== "active") {
      return error(
        400,
        "Your destination account needs to have at least one of the following capabilities enabled: transfers",
      );
    }
    const amount = Number(form.amount);
    const charge = form.source_transaction ? fake.charges.get(form.source_transaction) : undefined;
    if (form.source_transaction && !charge) return error(400, `No such charge: '${form.source_transaction}'`);
    if (charge && amount > charge.amount - charge.amount_refunded) {
      return error(400, "The transfer amount exceeds the source transaction's available amount.");
    }
    const made: FakeTransfer = {
      id: nextId("tr"),
      object: "transfer",
      amount,
      amount_reversed: 0,
      currency: form.currency ?? "usd",
      destination: account.id,
      source_transaction: form.source_transaction ?? null,
      transfer_group: form.transfer_group ?? null,
      reversed: false,
      metadata: metadataOf(form),
      created: now(),
    };
    connect.transfers.set(made.id, made);
    fake.sources.set(made.id, made);
    fake.balanceTransactions.push(txn("transfer", -amount, made.currency, made.id));
    return ok(made);
  });
  fake.route("POST", /^\/v1\/transfers\/([^/]+)\/reversals$/, ({ match, form }) => {
    const made = connect.transfers.get(match[1] ?? "");
    if (!made) return error(404, `No such transfer: '${match[1]}'`);
    const amount = form.amount ? Number(form.amount) : made.amount - made.amount_reversed;
    if (amount <= 0 || amount > made.amount - made.amount_reversed) {
      return error(400, "The reversal amount exceeds what is left of the transfer.");
    }
    made.amount_reversed += amount;
    made.reversed = made.amount_reversed === made.amount;
    const reversal = {
      id: nextId("trr"),
      object: "transfer_reversal",
      amount,
      currency: made.currency,
      transfer: made.id,
    };
    fake.sources.set(reversal.id, reversal);
    fake.balanceTransactions.push(txn("transfer_refund", amount, made.currency, reversal.id));
    return ok(reversal);
  });

  let txnCounter = 0;
  const txn = (type: "transfer" | "transfer_refund", amount: number, currency: string, source: string) => ({
    id: `txn_connect_${String(++txnCounter)}`,
    object: "balance_transaction" as const,
    amount,
    currency,
    fee: 0,
    net: amount,
    type,
    reporting_category: type,
    source,
    created: now(),
  });
  return connect;
}

// A Connect event (account.updated...) as Stripe posts it to a Connect endpoint: the connected account's id in
// `account`, signed with the endpoint's secret.
export function signedConnectEvent(
  type: string,
  object: { id: string } & Record<string, unknown>,
  secret: string,
  created = now(),
) {
  const id = `evt_${Math.random().toString(36).slice(2, 14)}`;
  const payload = JSON.stringify({
    id,
    object: "event",
    type,
    account: object.id,
    api_version: "2026-10-28.endive",
    created,
    data: { object },
  });
  return { id, payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}
