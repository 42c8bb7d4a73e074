import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

async function setup() {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const influencer = await createUser(t.deps, { accountType: "influencer" });
  const campaign = await openCampaign(t, brand);
  return { brand, influencer, campaign };
}

const invite = (campaignId: string, auth: Record<string, string>, body: object) =>
  request(t.app).post(`/apis/campaigns/${campaignId}/invitations/`).set(auth).send(body);

type World = Awaited<ReturnType<typeof setup>>;

describe("inviting an influencer", () => {
  let world: World;
  let res: request.Response;
  beforeAll(async () => {
    world = await setup();
    res = await invite(world.campaign.id, world.brand.auth, {
      influencer: world.influencer.user.id,
      message: "Join us",
    });
  });

  it("creates a pending invitation", () => {
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "pending",
      message: "Join us",
      campaign: { id: world.campaign.id },
      influencer: { id: world.influencer.user.id },
    });
  });

  it("tells the influencer", async () => {
    const [n] = await notificationsOf(t.deps, world.influencer.user.id);
    expect(n).toMatchObject({ type: "campaign_invitation" });
    expect(n?.data).toMatchObject({
      campaign_id: world.campaign.id,
      invitation_id: res.body.id,
      actor_id: world.brand.user.id,
    });
  });

  it("invites an influencer once (409)", async () => {
    const again = await invite(world.campaign.id, world.brand.auth, { influencer: world.influencer.user.id });
    expect(again.status).toBe(409);
  });

  it("lists it for the influencer", async () => {
    const list = await request(t.app).get("/apis/invitations/").set(world.influencer.auth);
    expect(list.body.count).toBe(1);
    expect(list.body.results[0].id).toBe(res.body.id);
  });

  it("lists it for the brand, by status", async () => {
    const sent = await request(t.app).get("/apis/invitations/?status=pending").set(world.brand.auth);
    expect(sent.body.results.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it("lists none for another influencer", async () => {
    const other = await createUser(t.deps, { accountType: "influencer" });
    expect((await request(t.app).get("/apis/invitations/").set(other.auth)).body.count).toBe(0);
  });

  it("lets one of two racing invitations of the same influencer through", async () => {
    const racing = await setup();
    const both = await Promise.all(
      [1, 2].map(() => invite(racing.campaign.id, racing.brand.auth, { influencer: racing.influencer.user.id })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe("refusing an invitation", () => {
  let world: World;
  let stranger: Awaited<ReturnType<typeof createUser>>;
  const invitations = () => t.deps.db.invitation.count({ where: { influencerId: world.influencer.user.id } });
  beforeAll(async () => {
    world = await setup();
    stranger = await createUser(t.deps, { accountType: "brand" });
  });

  it("hides another brand's campaign (404)", async () => {
    expect((await invite(world.campaign.id, stranger.auth, { influencer: world.influencer.user.id })).status).toBe(404);
    expect(await invitations()).toBe(0);
  });

  it("refuses an influencer (403)", async () => {
    expect(
      (await invite(world.campaign.id, world.influencer.auth, { influencer: world.influencer.user.id })).status,
    ).toBe(403);
    expect(await invitations()).toBe(0);
  });

  it("refuses to invite a user who is not an influencer, or a malformed id (400)", async () => {
    expect((await invite(world.campaign.id, world.brand.auth, { influencer: stranger.user.id })).status).toBe(400);
    expect((await invite(world.campaign.id, world.brand.auth, { influencer: "nope" })).status).toBe(400);
    expect(await invitations()).toBe(0);
  });

  it("needs a token (401)", async () => {
    expect((await request(t.app).post(`/apis/campaigns/${world.campaign.id}/invitations/`).send({})).status).toBe(401);
  });

  it("refuses a closed campaign (409)", async () => {
    const closed = await openCampaign(t, world.brand);
    await request(t.app).post(`/apis/campaigns/${closed.id}/close/`).set(world.brand.auth).expect(200);
    const res = await invite(closed.id, world.brand.auth, { influencer: world.influencer.user.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect(await invitations()).toBe(0);
  });
});

describe("declining an invitation", () => {
  let world: World;
  let invitationId: string;
  let res: request.Response;
  const decline = (auth: Record<string, string>) =>
    request(t.app).post(`/apis/invitations/${invitationId}/decline/`).set(auth);
  beforeAll(async () => {
    world = await setup();
    const invited = await invite(world.campaign.id, world.brand.auth, { influencer: world.influencer.user.id });
    invitationId = invited.body.id as string;
    const other = await createUser(t.deps, { accountType: "influencer" });
    expect((await decline(other.auth)).status).toBe(404); // another influencer's: hidden, and nothing changes
    res = await decline(world.influencer.auth);
  });

  it("marks it declined, with the time of the answer", () => {
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("declined");
    expect(res.body.responded_at).toEqual(expect.any(String));
  });

  it("tells the brand", async () => {
    expect((await notificationsOf(t.deps, world.brand.user.id)).map((n) => n.type)).toEqual(["invitation_declined"]);
  });

  it("declines once (409)", async () => {
    expect((await decline(world.influencer.auth)).status).toBe(409);
  });
});

describe("answering an invitation with a bid", () => {
  let world: World;
  let invitationId: string;
  let bid: request.Response;
  beforeAll(async () => {
    world = await setup();
    const invited = await invite(world.campaign.id, world.brand.auth, { influencer: world.influencer.user.id });
    invitationId = invited.body.id as string;
    bid = await request(t.app)
      .post("/apis/bids/create/")
      .set(world.influencer.auth)
      .send({ campaign: world.campaign.id, amount: "100.00" });
    expect(bid.status).toBe(201);
  });

  it("accepts the invitation with the bid", async () => {
    const [row] = (await request(t.app).get("/apis/invitations/").set(world.influencer.auth)).body.results;
    expect(row).toMatchObject({ id: invitationId, status: "accepted", bid_id: bid.body.id });
  });

  it("refuses to decline it afterwards (409)", async () => {
    expect(
      (await request(t.app).post(`/apis/invitations/${invitationId}/decline/`).set(world.influencer.auth)).status,
    ).toBe(409);
  });

  it("refuses to invite an influencer who already bid (409)", async () => {
    const bidder = await createUser(t.deps, { accountType: "influencer" });
    await request(t.app)
      .post("/apis/bids/create/")
      .set(bidder.auth)
      .send({ campaign: world.campaign.id, amount: "50.00" })
      .expect(201);
    expect((await invite(world.campaign.id, world.brand.auth, { influencer: bidder.user.id })).status).toBe(409);
  });
});
