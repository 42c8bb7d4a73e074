import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createCampaign, createUser } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";

const t = useTestApp();

async function setup() {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const influencer = await createUser(t.deps, { accountType: "influencer" });
  const campaign = await createCampaign(t.deps, brand.user.id);
  return { brand, influencer, campaign };
}

const invite = (campaignId: string, auth: Record<string, string>, body: object) =>
  request(t.app).post(`/apis/campaigns/${campaignId}/invitations/`).set(auth).send(body);

describe("invitations", () => {
  it("a brand invites an influencer once; the influencer is told and lists it", async () => {
    const { brand, influencer, campaign } = await setup();
    const res = await invite(campaign.id, brand.auth, { influencer: influencer.user.id, message: "Join us" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "pending",
      message: "Join us",
      campaign: { id: campaign.id },
      influencer: { id: influencer.user.id },
    });
    const [n] = await notificationsOf(t.deps, influencer.user.id);
    expect(n).toMatchObject({ type: "campaign_invitation" });
    expect(n?.data).toMatchObject({ campaign_id: campaign.id, invitation_id: res.body.id, actor_id: brand.user.id });
    const again = await invite(campaign.id, brand.auth, { influencer: influencer.user.id });
    expect(again.status).toBe(409);
    const racing = await setup();
    const both = await Promise.all(
      [1, 2].map(() => invite(racing.campaign.id, racing.brand.auth, { influencer: racing.influencer.user.id })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);

    const list = await request(t.app).get("/apis/invitations/").set(influencer.auth);
    expect(list.body.count).toBe(1);
    expect(list.body.results[0].id).toBe(res.body.id);
    const sent = await request(t.app).get("/apis/invitations/?status=pending").set(brand.auth);
    expect(sent.body.results.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
    const other = await createUser(t.deps, { accountType: "influencer" });
    expect((await request(t.app).get("/apis/invitations/").set(other.auth)).body.count).toBe(0);
  });

  it("refuses another brand's campaign (404), a closed one (409), a non-influencer (400), an influencer (403)", async () => {
    const { brand, influencer, campaign } = await setup();
    const stranger = await createUser(t.deps, { accountType: "brand" });
    expect((await invite(campaign.id, stranger.auth, { influencer: influencer.user.id })).status).toBe(404);
    expect((await invite(campaign.id, influencer.auth, { influencer: influencer.user.id })).status).toBe(403);
    expect((await invite(campaign.id, brand.auth, { influencer: stranger.user.id })).status).toBe(400);
    expect((await invite(campaign.id, brand.auth, { influencer: "nope" })).status).toBe(400);
    expect((await request(t.app).post(`/apis/campaigns/${campaign.id}/invitations/`).send({})).status).toBe(401);
    const closed = await createCampaign(t.deps, brand.user.id, { status: "closed" });
    const res = await invite(closed.id, brand.auth, { influencer: influencer.user.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect(await t.deps.db.invitation.count({ where: { influencerId: influencer.user.id } })).toBe(0);
  });

  it("the influencer declines (the brand is told), once", async () => {
    const { brand, influencer, campaign } = await setup();
    const { body } = await invite(campaign.id, brand.auth, { influencer: influencer.user.id });
    const other = await createUser(t.deps, { accountType: "influencer" });
    expect((await request(t.app).post(`/apis/invitations/${body.id}/decline/`).set(other.auth)).status).toBe(404);
    const res = await request(t.app).post(`/apis/invitations/${body.id}/decline/`).set(influencer.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("declined");
    expect(res.body.responded_at).toEqual(expect.any(String));
    expect((await notificationsOf(t.deps, brand.user.id)).map((n) => n.type)).toEqual(["invitation_declined"]);
    expect((await request(t.app).post(`/apis/invitations/${body.id}/decline/`).set(influencer.auth)).status).toBe(409);
  });

  it("the influencer answers with a bid: the invitation is accepted with the bid; no invitation once it bid", async () => {
    const { brand, influencer, campaign } = await setup();
    const { body } = await invite(campaign.id, brand.auth, { influencer: influencer.user.id });
    const bid = await request(t.app)
      .post("/apis/bids/create/")
      .set(influencer.auth)
      .send({ campaign: campaign.id, amount: "100.00" });
    expect(bid.status).toBe(201);
    const [row] = (await request(t.app).get("/apis/invitations/").set(influencer.auth)).body.results;
    expect(row).toMatchObject({ id: body.id, status: "accepted", bid_id: bid.body.id });
    expect((await request(t.app).post(`/apis/invitations/${body.id}/decline/`).set(influencer.auth)).status).toBe(409);
    const bidder = await createUser(t.deps, { accountType: "influencer" });
    await request(t.app)
      .post("/apis/bids/create/")
      .set(bidder.auth)
      .send({ campaign: campaign.id, amount: "50.00" })
      .expect(201);
    expect((await invite(campaign.id, brand.auth, { influencer: bidder.user.id })).status).toBe(409);
  });
});
