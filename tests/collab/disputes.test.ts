// Disputes (issue 13, item 3): a side of a paid bid opens one, the campaign is frozen (payout held, approval clock
// stopped), both sides add statements, an admin resolves it and the money moves once through the release and refund
// paths, even with two resolve calls at once; every step is in the trail.
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { DAY, usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();

const refundsOf = (intent: string) => w.stripe.refundRequests().filter((r) => r.form.payment_intent === intent);
const typesOf = async (userId: string) =>
  (await t.deps.db.notification.findMany({ where: { userId } })).map((n) => n.type);
const admin = () => createUser(t.deps, { accountType: "admin" });
type World = Awaited<ReturnType<typeof w.paidBid>>;
type Dispute = { id: string; status: string; events: { kind: string }[] };

async function openDispute(world: World, by: "brand" | "influencer" = "brand") {
  const res = await w
    .api()
    .post(`/apis/bids/${world.bid.id}/dispute/`)
    .set(world[by].auth)
    .send({ reason: "The post is not what we agreed", links: ["https://example.com/screenshot.png"] });
  expect(res.status).toBe(201);
  return res.body as Dispute;
}

const resolve = (id: string, auth: Record<string, string>, body: Record<string, unknown>) =>
  w.api().post(`/apis/admin/disputes/${id}/resolve/`).set(auth).send(body);

// An admin and a paid bid (`before` takes it further) with a dispute opened by `by`, made once before a describe's tests.
function useDispute(by: "brand" | "influencer" = "brand", before: (world: World) => Promise<void> = async () => {}) {
  const made = {} as { boss: Awaited<ReturnType<typeof admin>>; world: World; dispute: Dispute };
  beforeAll(async () => {
    made.boss = await admin();
    made.world = await w.paidBid();
    await before(made.world);
    made.dispute = await openDispute(made.world, by);
  });
  return made;
}

describe("opening a dispute", () => {
  const made = useDispute("brand", async (paid) => {
    await w.onboard(paid.influencer);
    await w.deliver(paid);
    expect((await w.payoutOf(paid.bid.id)).autoApproveAt).not.toBeNull();
  });

  it("answers with the open dispute", () => {
    expect(made.dispute).toMatchObject({
      status: "open",
      bid: made.world.bid.id,
      opened_by: made.world.brand.user.id,
      links: ["https://example.com/screenshot.png"],
      payment_status: "completed",
      amount: "1500.00",
    });
  });

  it("freezes the campaign", async () => {
    const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: made.world.campaign.id } });
    expect(campaign).toMatchObject({ status: "disputed", statusBeforeDispute: "in_progress" });
  });

  it("holds the payout and stops the approval clock", async () => {
    const payout = await w.payoutOf(made.world.bid.id);
    expect(payout).toMatchObject({ status: "held", autoApproveAt: null });
  });

  it("tells the other side and admins, not the side that opened it", async () => {
    expect(await typesOf(made.world.influencer.user.id)).toContain("dispute_opened");
    expect(await typesOf(made.boss.user.id)).toContain("dispute_opened");
    expect(await typesOf(made.world.brand.user.id)).not.toContain("dispute_opened");
  });

  it("is not approved when the clock would have approved it, and nothing is sent", async () => {
    w.clock.advance(30 * DAY);
    await w.runDue();
    expect(w.transfersFor(made.world.bid.id)).toHaveLength(0);
  });

  it("refuses approval (409)", async () => {
    expect((await w.approve(made.world)).status).toBe(409);
  });

  it("refuses a second dispute (409)", async () => {
    expect(
      (
        await w
          .api()
          .post(`/apis/bids/${made.world.bid.id}/dispute/`)
          .set(made.world.influencer.auth)
          .send({ reason: "x" })
      ).status,
    ).toBe(409);
  });

  it("refuses to cancel the campaign while disputed (409)", async () => {
    expect(
      (await w.api().post(`/apis/campaigns/${made.world.campaign.id}/cancel/`).set(made.world.brand.auth)).status,
    ).toBe(409);
  });
});

describe("refusing a dispute", () => {
  let world: World;
  const url = () => `/apis/bids/${world.bid.id}/dispute/`;
  const disputes = () => t.deps.db.dispute.count({ where: { bidId: world.bid.id } });
  beforeAll(async () => {
    world = await w.paidBid();
  });

  it("hides the bid from strangers (404)", async () => {
    const stranger = await createUser(t.deps, { accountType: "brand" });
    expect((await w.api().post(url()).set(stranger.auth).send({ reason: "x" })).status).toBe(404);
    expect(await disputes()).toBe(0);
  });

  it("refuses an empty reason (400)", async () => {
    expect((await w.api().post(url()).set(world.brand.auth).send({ reason: "" })).status).toBe(400);
    expect(await disputes()).toBe(0);
  });

  it("refuses a link that is not http(s) (400)", async () => {
    expect(
      (
        await w
          .api()
          .post(url())
          .set(world.brand.auth)
          .send({ reason: "x", links: ["ftp://x"] })
      ).status,
    ).toBe(400);
    expect(await disputes()).toBe(0);
  });

  it("refuses a bid whose campaign was canceled (refunded) before: nothing to dispute (409)", async () => {
    const canceled = await w.paidBid();
    expect(
      (await w.api().post(`/apis/campaigns/${canceled.campaign.id}/cancel/`).set(canceled.brand.auth)).status,
    ).toBe(200);
    expect(
      (await w.api().post(`/apis/bids/${canceled.bid.id}/dispute/`).set(canceled.influencer.auth).send({ reason: "x" }))
        .status,
    ).toBe(409);
  });
});

describe("statements and the trail", () => {
  const made = useDispute("influencer");
  const say = (auth: Record<string, string>, message: string) =>
    w.api().post(`/apis/disputes/${made.dispute.id}/events/`).set(auth).send({ message, links: [] });
  beforeAll(async () => {
    expect((await say(made.world.brand.auth, "We asked for a reel")).status).toBe(201);
    expect((await say(made.world.influencer.auth, "The brief said a post")).status).toBe(201);
    expect((await say(made.boss.auth, "Please send the brief")).status).toBe(201);
  });

  it("tells both sides of the statements", async () => {
    expect(await typesOf(made.world.brand.user.id)).toContain("dispute_statement");
    expect(await typesOf(made.world.influencer.user.id)).toContain("dispute_statement");
  });

  it("refuses a stranger's statement (404)", async () => {
    const stranger = await createUser(t.deps, { accountType: "influencer" });
    expect((await say(stranger.auth, "me too")).status).toBe(404);
  });

  it("hides the trail from a stranger (404)", async () => {
    const stranger = await createUser(t.deps, { accountType: "influencer" });
    expect((await w.api().get(`/apis/disputes/${made.dispute.id}/`).set(stranger.auth)).status).toBe(404);
  });

  it.each([
    ["the brand", () => made.world.brand],
    ["the influencer", () => made.world.influencer],
    ["an admin", () => made.boss],
  ])("shows %s the trail, in order", async (_who, whoOf) => {
    const trail = await w.api().get(`/apis/disputes/${made.dispute.id}/`).set(whoOf().auth);
    expect(trail.status).toBe(200);
    expect(trail.body.events.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
      ["opened", made.world.influencer.user.id],
      ["statement", made.world.brand.user.id],
      ["statement", made.world.influencer.user.id],
      ["statement", made.boss.user.id],
    ]);
  });

  it("lists the open made.dispute for admins", async () => {
    const list = await w.api().get("/apis/admin/disputes/?status=open").set(made.boss.auth);
    expect(list.status).toBe(200);
    expect(list.body.results.map((d: { id: string }) => d.id)).toContain(made.dispute.id);
  });

  it("refuses the admin list to a side (403)", async () => {
    expect((await w.api().get("/apis/admin/disputes/").set(made.world.brand.auth)).status).toBe(403);
  });
});

describe("resolving with a 40% split, sent twice at once and once more later", () => {
  let world: World;
  let account: string;
  let dispute: Awaited<ReturnType<typeof openDispute>>;
  let racing: number[];
  let third: number;
  beforeAll(async () => {
    const boss = await admin();
    world = await w.paidBid(); // 1500.00, fee 10%
    account = await w.onboard(world.influencer);
    await w.deliver(world);
    dispute = await openDispute(world);
    const both = await Promise.all([
      resolve(dispute.id, boss.auth, { outcome: "split", amount: "600.00" }),
      resolve(dispute.id, boss.auth, { outcome: "split", amount: "600.00" }),
    ]);
    racing = both.map((r) => r.status);
    await w.runDue();
    await w.runDue();
    third = (await resolve(dispute.id, boss.auth, { outcome: "refund" })).status;
    await w.runDue();
  });

  it("takes one of the two resolve calls at once (200) and refuses the other (409)", () => {
    expect([...racing].sort()).toEqual([200, 409]);
  });

  it("refuses a third call later (409)", () => {
    expect(third).toBe(409);
  });

  it("refunds the 40% once", () => {
    expect(refundsOf(world.intent).map((r) => r.form.amount)).toEqual(["60000"]);
  });

  it("transfers the rest less the fee once and releases the payout", async () => {
    const sent = w.transfersFor(world.bid.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.form).toMatchObject({ amount: "81000", destination: account }); // 900.00 less 10%
    const payout = await w.payoutOf(world.bid.id);
    expect(payout).toMatchObject({ status: "released", grossCents: 90_000, feeCents: 9_000, netCents: 81_000 });
    expect(w.connect.reversalRequests()).toHaveLength(0);
  });

  it("leaves the payment completed with the refund recorded, and completes the campaign", async () => {
    const payment = await t.deps.db.payment.findUniqueOrThrow({ where: { id: world.paymentId } });
    expect(payment).toMatchObject({ status: "completed", amountRefundedCents: 60_000 });
    const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
    expect(campaign.status).toBe("completed");
  });

  it("puts the resolution, the refund and the release in the trail", async () => {
    const trail = await w.api().get(`/apis/disputes/${dispute.id}/`).set(world.influencer.auth);
    expect(trail.body).toMatchObject({ status: "resolved", outcome: "split", refund_amount: "600.00" });
    expect(trail.body.events.map((e: { kind: string }) => e.kind)).toEqual([
      "opened",
      "resolved",
      "refund_queued",
      "release_scheduled",
    ]);
    expect(trail.body.events[3].data).toEqual({ net: "810.00", fee: "90.00", currency: "usd" });
    expect(trail.body.events[1].data).toEqual({ outcome: "split", refund: "600.00", currency: "usd" });
  });

  it("tells both sides", async () => {
    expect(await typesOf(world.brand.user.id)).toContain("dispute_resolved");
    expect(await typesOf(world.influencer.user.id)).toContain("dispute_resolved");
  });

  it("takes no statement after the resolution (409)", async () => {
    const late = await w
      .api()
      .post(`/apis/disputes/${dispute.id}/events/`)
      .set(world.brand.auth)
      .send({ message: "x" });
    expect(late.status).toBe(409);
  });
});

describe("resolving", () => {
  it("refund: the whole payment back once, campaign and payout canceled, nothing transferred", async () => {
    const boss = await admin();
    const world = await w.paidBid({ amountCents: 50_000 });
    await w.onboard(world.influencer);
    const dispute = await openDispute(world, "influencer");
    expect((await resolve(dispute.id, boss.auth, { outcome: "refund" })).status).toBe(200);
    await w.runDue();
    expect(refundsOf(world.intent).map((r) => r.form.amount)).toEqual(["50000"]);
    expect(w.transfersFor(world.bid.id)).toHaveLength(0);
    expect((await w.payoutOf(world.bid.id)).status).toBe("canceled");
    const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
    expect(campaign.status).toBe("canceled");
  });

  it("release: the campaign completes and one transfer of the net goes out, no refund", async () => {
    const boss = await admin();
    const world = await w.paidBid({ amountCents: 20_000 });
    await w.onboard(world.influencer);
    await w.deliver(world);
    const dispute = await openDispute(world);
    expect((await resolve(dispute.id, boss.auth, { outcome: "release" })).status).toBe(200);
    await w.runDue();
    expect(refundsOf(world.intent)).toHaveLength(0);
    expect(w.transfersFor(world.bid.id).map((r) => r.form.amount)).toEqual(["18000"]);
    expect((await w.payoutOf(world.bid.id)).status).toBe("released");
  });
});

describe("refusing a resolution", () => {
  const made = useDispute();
  const unchanged = async () => {
    expect((await t.deps.db.dispute.findUniqueOrThrow({ where: { id: made.dispute.id } })).status).toBe("open");
    expect(refundsOf(made.world.intent)).toHaveLength(0);
  };

  it.each([
    ["a split without an amount", { outcome: "split" }],
    ["a split of 0", { outcome: "split", amount: "0" }],
    ["a split of the whole payment", { outcome: "split", amount: "1500.00" }],
    ["a split with three decimals", { outcome: "split", amount: "1.001" }],
    ["a release with an amount", { outcome: "release", amount: "10.00" }],
    ["an unknown outcome", { outcome: "keep" }],
  ])("refuses %s (400), changing nothing", async (_what, body) => {
    expect((await resolve(made.dispute.id, made.boss.auth, body)).status).toBe(400);
    await unchanged();
  });

  it("refuses a non-admin (403), changing nothing", async () => {
    expect((await resolve(made.dispute.id, made.world.brand.auth, { outcome: "refund" })).status).toBe(403);
    await unchanged();
  });
});
