// The double-entry ledger. Every money movement is recorded with record(movement, tx) in the same transaction as the
// state change that caused it; its entries (signed minor units: + debit, - credit) must sum to zero. A movement's
// key names the event (e.g. "charge:<payment id>"): recording the same event again is a no-op, so a redelivered
// webhook cannot count money twice. Other features (payouts) add their own kinds and accounts with the same call.
import type { DbOrTx, Tx } from "../../db/client.ts";

// Accounts payments use. stripe:balance is what Stripe holds for us; brand:payments what brands paid in (credited on
// a charge, debited back on a refund or when a payout settles it); stripe:disputes what a dispute withholds until it
// ends; platform:fees the platform's fees on released payouts.
export const ACCOUNTS = {
  stripeBalance: "stripe:balance",
  brandPayments: "brand:payments",
  disputes: "stripe:disputes",
  platformFees: "platform:fees", // the platform's share of released payouts (credited on release)
} as const;

export type Entry = { account: string; amountCents: number };
export type Movement = {
  key: string;
  kind: string;
  currency: string;
  paymentId?: string;
  stripeRef?: string | null; // the Stripe object whose balance transactions this movement explains
  entries: Entry[];
};

// Recorded, or false when a movement with this key exists already. Unbalanced entries are a bug: they throw.
export async function record(movement: Movement, tx: Tx): Promise<boolean> {
  const sum = movement.entries.reduce((a, e) => a + e.amountCents, 0);
  if (sum !== 0 || movement.entries.length < 2) throw new Error(`unbalanced ledger movement ${movement.key}`);
  // Checked before inserting: on PostgreSQL a unique violation would abort the caller's whole transaction.
  if (await tx.ledgerMovement.findUnique({ where: { key: movement.key } })) return false;
  await tx.ledgerMovement.create({
    data: {
      key: movement.key,
      kind: movement.kind,
      currency: movement.currency,
      paymentId: movement.paymentId ?? null,
      stripeRef: movement.stripeRef ?? null,
      entries: { create: movement.entries },
    },
  });
  return true;
}

// Money moving between two accounts: `amount` from `from` (credited) to `to` (debited).
export const transfer = (from: string, to: string, amountCents: number): Entry[] => [
  { account: to, amountCents },
  { account: from, amountCents: -amountCents },
];

export function movementsOf(paymentId: string, tx: DbOrTx) {
  return tx.ledgerMovement.findMany({
    where: { paymentId },
    include: { entries: { orderBy: { account: "asc" } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}
