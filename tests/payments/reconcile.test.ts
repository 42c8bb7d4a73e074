// npm run reconcile against the fake Stripe: a clean history agrees; a charge missing from the ledger is reported.
import { spawn } from "node:child_process";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { startCheckout, usePaymentsApp } from "../helpers/payments-factories.ts";

const env = usePaymentsApp();
const deliver = (e: { payload: string; header: string }) =>
  request(env.t.app)
    .post("/apis/stripe/webhook/")
    .set("Content-Type", "application/json")
    .set("Stripe-Signature", e.header)
    .send(e.payload);

function runReconcile(since: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn("npm", ["run", "--silent", "reconcile", "--", "--since", since], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: env.t.deps.config.DATABASE_URL,
        JWT_SECRET: env.t.deps.config.JWT_SECRET,
        DATA_DIR: env.t.deps.config.DATA_DIR,
        STRIPE_SECRET_KEY: "sk_test_fake_collabhub",
        STRIPE_API_URL: env.stripe.url,
      },
    });
    let output = "";
    proc.stdout.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (output += d.toString()));
    proc.on("exit", (code) => resolve({ code, output }));
  });
}

async function paid() {
  const world = await startCheckout(env.t);
  const session = env.stripe.pay(world.sessionId);
  expect((await deliver(signedEvent("checkout.session.completed", { ...session }))).status).toBe(200);
  return { ...world, intent: session.payment_intent ?? "" };
}

describe("npm run reconcile", () => {
  it("reports zero mismatches on a clean history, and the exact one when a charge is missing from the ledger", async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const admin = await createUser(env.t.deps, { accountType: "admin" });
    const a = await paid();
    await request(env.t.app).post(`/apis/payments/${a.paymentId}/refund/`).set(admin.auth).send({ amount: "100.00" });
    const b = await paid();
    const dispute = env.stripe.dispute(b.intent);
    await deliver(signedEvent("charge.dispute.created", { ...dispute }));
    await deliver(signedEvent("charge.dispute.closed", { ...env.stripe.closeDispute(dispute.id, "won") }));
    const clean = await runReconcile(since);
    expect(clean.output).toContain("reconcile: 0 mismatch(es)");
    expect(clean.code).toBe(0);

    const c = await paid();
    const charge = await env.t.deps.db.ledgerMovement.findUniqueOrThrow({ where: { key: `charge:${c.paymentId}` } });
    await env.t.deps.db.ledgerEntry.deleteMany({ where: { movementId: charge.id } });
    await env.t.deps.db.ledgerMovement.delete({ where: { id: charge.id } });
    const broken = await runReconcile(since);
    expect(broken.code).toBe(1);
    expect(broken.output.split("\n").filter((l) => l.startsWith("mismatch:"))).toEqual([
      `mismatch: charge ${c.intent}: Stripe 1500.00 USD, ledger 0.00 USD`,
    ]);
  }, 120_000); // two CLI runs (tsx start-up) on a shared machine
});
