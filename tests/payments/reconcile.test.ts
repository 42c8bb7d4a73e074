// npm run reconcile against the fake Stripe: a clean history agrees; a charge missing from the ledger is reported.
import { spawn } from "node:child_process";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { startCheckout } from "../helpers/collaborations.ts";
import { deliverEvent, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const deliver = (e: { payload: string; header: string }) => deliverEvent(t, e);

function runReconcile(since: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn("npm", ["run", "--silent", "reconcile", "--", "--since", since], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: t.deps.config.DATABASE_URL,
        JWT_SECRET: t.deps.config.JWT_SECRET,
        DATA_DIR: t.deps.config.DATA_DIR,
        STRIPE_SECRET_KEY: "sk_test_fake_collabhub",
        STRIPE_API_URL: stripe().url,
      },
    });
    let output = "";
    proc.stdout.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (output += d.toString()));
    proc.on("exit", (code) => resolve({ code, output }));
  });
}

async function paid() {
  const world = await startCheckout(t);
  const session = stripe().pay(world.sessionId);
  expect((await deliver(signedEvent("checkout.session.completed", { ...session }))).status).toBe(200);
  return { ...world, intent: session.payment_intent ?? "" };
}

describe("npm run reconcile", () => {
  it("reports zero mismatches on a clean history, and the exact one when a charge is missing from the ledger", async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const admin = await createUser(t.deps, { accountType: "admin" });
    const a = await paid();
    await request(t.app).post(`/apis/payments/${a.paymentId}/refund/`).set(admin.auth).send({ amount: "100.00" });
    const b = await paid();
    const dispute = stripe().dispute(b.intent);
    await deliver(signedEvent("charge.dispute.created", { ...dispute }));
    await deliver(signedEvent("charge.dispute.closed", { ...stripe().closeDispute(dispute.id, "won") }));
    const clean = await runReconcile(since);
    expect(clean.output).toContain("reconcile: 0 mismatch(es)");
    expect(clean.code).toBe(0);

    const c = await paid();
    const charge = await t.deps.db.ledgerMovement.findUniqueOrThrow({ where: { key: `charge:${c.paymentId}` } });
    await t.deps.db.ledgerEntry.deleteMany({ where: { movementId: charge.id } });
    await t.deps.db.ledgerMovement.delete({ where: { id: charge.id } });
    const broken = await runReconcile(since);
    expect(broken.code).toBe(1);
    expect(broken.output.split("\n").filter((l) => l.startsWith("mismatch:"))).toEqual([
      `mismatch: charge ${c.intent}: Stripe 1500.00 USD, ledger 0.00 USD`,
    ]);
  }, 120_000); // two CLI runs (tsx start-up) on a shared machine
});
