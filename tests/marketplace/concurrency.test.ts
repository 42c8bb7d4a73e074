import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

// Many bids, placed through the bids service (the API's own path, without HTTP).
type User = Awaited<ReturnType<typeof createUser>>;
const placeBid = (campaignId: string, influencer: User, amount = "1500") =>
  t.services.bids.createBid(influencer.user, { campaign: campaignId, amount, proposal: "My offer" });

describe("racing accepts", () => {
  it("of 20 different bids on one campaign, exactly one wins and the campaign moves to pending_payment once", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand);
    const bids = [];
    for (let i = 0; i < 20; i++) {
      const influencer = await createUser(t.deps, { accountType: "influencer" });
      bids.push(await placeBid(campaign.id, influencer, `100.${String(i).padStart(2, "0")}`));
    }
    const before = (await t.deps.db.notification.findMany({ select: { id: true } })).map((n) => n.id); // new_bid

    const responses = await Promise.all(
      bids.map((bid) =>
        request(t.app).put(`/apis/bids/update/${bid.id}/`).set(brand.auth).send({ status: "accepted" }),
      ),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
    for (const lost of responses.filter((r) => r.status === 409)) expect(lost.body.error.code).toBe("INVALID_STATE");
    const winner = responses.find((r) => r.status === 200)?.body.id;

    const rows = await t.deps.db.bid.findMany({ where: { campaignId: campaign.id } });
    expect(rows.filter((b) => b.status === "accepted").map((b) => b.id)).toEqual([winner]);
    expect(rows.filter((b) => b.status === "declined")).toHaveLength(19);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("pending_payment");
    // One accepted and 19 declined notifications: the losers' transactions notified nobody.
    const sent = await t.deps.db.notification.groupBy({
      by: ["type"],
      where: { id: { notIn: before } },
      _count: { _all: true },
      orderBy: { type: "asc" },
    });
    expect(sent.map((s) => [s.type, s._count._all])).toEqual([
      ["bid_accepted", 1],
      ["bid_declined", 19],
    ]);
  });

  it("a bid placed while the campaign is being accepted either lands before (and is declined) or is refused", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand);
    const first = await createUser(t.deps, { accountType: "influencer" });
    const bid = await placeBid(campaign.id, first);
    const late = await Promise.all(Array.from({ length: 5 }, () => createUser(t.deps, { accountType: "influencer" })));

    await Promise.all([
      request(t.app).put(`/apis/bids/update/${bid.id}/`).set(brand.auth).send({ status: "accepted" }),
      ...late.map((u) =>
        request(t.app).post("/apis/bids/create/").set(u.auth).send({ campaign: campaign.id, amount: 100 }),
      ),
    ]);

    const pending = await t.deps.db.bid.count({ where: { campaignId: campaign.id, status: "pending" } });
    expect(pending).toBe(0);
  });
});
