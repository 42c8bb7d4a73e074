// The ledger against Stripe's balance transactions: per payment intent (per transfer for payouts) and kind of
// movement (charge, refund, dispute withdrawal, reinstatement, payout transfer and reversal), the amount that moved through our Stripe balance must be the same on both
// sides. Stripe's fees are not in the ledger yet (gross amounts are compared). Returns one line per mismatch.
import type { DbOrTx } from "../../db/client.ts";
import { describeMoney } from "../../lib/money.ts";
import { ACCOUNTS } from "./ledger.ts";
import type { StripeClient } from "./stripe-client.ts";

type Source = { object?: string; id?: string; payment_intent?: unknown; transfer?: unknown } | string | null;

function kindOf(type: string, category: string): string | undefined {
  if (type === "charge" || type === "payment") return "charge";
  if (type === "refund" || type === "payment_refund") return "refund";
  if (type === "transfer") return "payout_transfer";
  if (type === "transfer_refund") return "payout_reversal";
  if (category === "dispute") return "dispute_withdrawal";
  if (category === "dispute_reversal") return "dispute_reinstatement";
  return undefined;
}

const intentOf = (source: Source) => {
  if (!source || typeof source === "string") return undefined;
  // Payout movements are keyed by their transfer (a reversal's source names the transfer it reverses).
  if (source.object === "transfer") return source.id;
  if (source.object === "transfer_reversal" && typeof source.transfer === "string") return source.transfer;
  const pi = source.payment_intent;
  if (typeof pi === "string") return pi;
  if (pi && typeof pi === "object" && "id" in pi && typeof pi.id === "string") return pi.id;
  return undefined;
};

export async function reconcile(stripe: StripeClient, since: Date, tx: DbOrTx): Promise<string[]> {
  const totals = new Map<string, { stripe: number; ledger: number; kind: string; intent: string; currency: string }>();
  const add = (intent: string, kind: string, currency: string, side: "stripe" | "ledger", amount: number) => {
    const key = `${intent} ${kind} ${currency}`;
    const t = totals.get(key) ?? { stripe: 0, ledger: 0, kind, intent, currency };
    t[side] += amount;
    totals.set(key, t);
  };
  const created = { gte: Math.floor(since.getTime() / 1000) };
  for await (const txn of stripe.balanceTransactions.list({ created, limit: 100, expand: ["data.source"] })) {
    const kind = kindOf(txn.type, txn.reporting_category);
    const intent = intentOf(txn.source);
    if (kind && intent) add(intent, kind, txn.currency, "stripe", txn.amount);
  }
  const entries = await tx.ledgerEntry.findMany({
    where: { account: ACCOUNTS.stripeBalance, movement: { createdAt: { gte: since }, stripeRef: { not: null } } },
    include: { movement: true },
  });
  for (const e of entries) {
    if (e.movement.stripeRef) add(e.movement.stripeRef, e.movement.kind, e.movement.currency, "ledger", e.amountCents);
  }
  return [...totals.values()]
    .filter((t) => t.stripe !== t.ledger)
    .map(
      (t) =>
        `${t.kind} ${t.intent}: Stripe ${describeMoney(t.stripe, t.currency)}, ledger ${describeMoney(t.ledger, t.currency)}`,
    );
}
