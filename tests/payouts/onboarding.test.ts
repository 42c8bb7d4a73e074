// Stripe Connect onboarding: one Express account per influencer, also when asked at once, a fresh onboarding link
// on each ask, and the account's state from signed account.updated events (older events change nothing).
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { signedEvent, WEBHOOK_SECRET } from "../helpers/payments-fake-stripe.ts";
import { signedConnectEvent } from "../helpers/payouts-fake-stripe.ts";
import { CONNECT_SECRET, usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();
const accountsOf = (userId: string) => [...w.connect.accounts.values()].filter((a) => a.metadata.user_id === userId);

describe("POST /apis/payouts/account/", () => {
  it("creates one Express account with transfers for the influencer and answers an onboarding link", async () => {
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => w.api().post("/apis/payouts/account/").set(influencer.auth).send({})),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const made = accountsOf(influencer.user.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      type: "express",
      email: influencer.user.email,
      capabilities: { transfers: "inactive" },
    });
    const link = w.stripe.requests.find((r) => r.path === "/v1/account_links" && r.form.account === made[0]?.id);
    expect(link?.form).toMatchObject({
      type: "account_onboarding",
      refresh_url: "http://front.test/payouts/onboarding/refresh",
      return_url: "http://front.test/payouts/onboarding/return",
    });
    expect(answers[0]?.body.url).toMatch(/^https:\/\/connect\.stripe\.test\//);
    const creations = w.stripe.requests.filter(
      (r) => r.path === "/v1/accounts" && r.form["metadata[user_id]"] === influencer.user.id,
    );
    expect(new Set(creations.map((r) => r.idempotencyKey))).toEqual(
      new Set([`collabhub-account-${influencer.user.id}`]),
    );
    const again = await w.api().post("/apis/payouts/account/").set(influencer.auth).send({});
    expect(again.status).toBe(200);
    expect(accountsOf(influencer.user.id)).toHaveLength(1);
  });

  it("is for verified influencers only, and answers 502 when Stripe fails, leaving no account", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const unverified = await createUser(t.deps, { accountType: "influencer", isVerified: false });
    expect((await w.api().post("/apis/payouts/account/").set(brand.auth).send({})).status).toBe(403);
    expect((await w.api().post("/apis/payouts/account/").set(unverified.auth).send({})).status).toBe(403);
    expect((await w.api().post("/apis/payouts/account/").send({})).status).toBe(401);
    expect((await w.api().get("/apis/payouts/account/").set(brand.auth)).status).toBe(403);
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    w.stripe.mode = "fail";
    const failed = await w.api().post("/apis/payouts/account/").set(influencer.auth).send({});
    expect(failed.status).toBe(502);
    const state = await w.api().get("/apis/payouts/account/").set(influencer.auth);
    expect(state.body).toEqual({
      account_id: null,
      details_submitted: false,
      payouts_enabled: false,
      requirements_due: [],
      can_be_paid: false,
    });
    w.stripe.mode = "ok";
    expect((await w.api().post("/apis/payouts/account/").set(influencer.auth).send({})).status).toBe(200);
    expect(accountsOf(influencer.user.id)).toHaveLength(1);
  });
});

describe("account.updated", () => {
  it("is verified with the Connect secret; an event older than the one applied changes nothing", async () => {
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    const account = await w.onboard(influencer, { complete: false });
    const enabled = { ...w.connect.completeOnboarding(account) };
    const now = Math.floor(Date.now() / 1000);
    const newer = signedConnectEvent("account.updated", enabled, CONNECT_SECRET, now);
    const older = signedConnectEvent(
      "account.updated",
      { ...enabled, payouts_enabled: false, details_submitted: false },
      CONNECT_SECRET,
      now - 60,
    );
    const forged = signedConnectEvent("account.updated", enabled, "whsec_someone_else");
    expect((await w.webhook(forged)).status).toBe(400);
    expect((await w.webhook(newer)).status).toBe(200);
    expect((await w.webhook(older)).status).toBe(200);
    const state = await w.api().get("/apis/payouts/account/").set(influencer.auth);
    expect(state.body).toMatchObject({ account_id: account, payouts_enabled: true, can_be_paid: true });
    // The platform endpoint's secret is accepted too (one route serves both endpoints).
    const viaPlatform = signedEvent(
      "account.updated",
      { ...enabled, details_submitted: true },
      undefined,
      WEBHOOK_SECRET,
    );
    expect((await w.webhook(viaPlatform)).status).toBe(200);
    const brand = await createUser(t.deps, { accountType: "brand" });
    const profile = await w.api().get(`/apis/user/${influencer.user.id}/`).set(brand.auth);
    expect(profile.body).toMatchObject({ id: influencer.user.id, can_be_paid: true });
    const other = await createUser(t.deps, { accountType: "influencer" });
    const unpaid = await w.api().get(`/apis/user/${other.user.id}/`).set(brand.auth);
    expect(unpaid.body.can_be_paid).toBe(false);
  });
});
