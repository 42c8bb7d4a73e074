import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

const send = (auth: Record<string, string>, recipient: string, content: string) =>
  request(t.app).post("/apis/messages/").set(auth).send({ recipient, content }).expect(201);

type Row = {
  user: { id: string };
  unread_count: number;
  last_message: { content: string } | null;
  last_message_at: string | null;
};

describe("GET /apis/messages/recent/", () => {
  it("gives one row per partner with the last message and unread count, newest conversation first", async () => {
    const me = await createUser(t.deps, { accountType: "brand" });
    const [b, c, d] = await Promise.all([createUser(t.deps), createUser(t.deps), createUser(t.deps)]);
    await send(b.auth, me.user.id, "b1");
    await send(b.auth, me.user.id, "b2");
    await send(c.auth, me.user.id, "c1");
    await send(me.auth, d.user.id, "to d");
    await send(b.auth, me.user.id, "b3");
    await request(t.app).put(`/apis/messages/${c.user.id}/read/`).set(me.auth).expect(200);

    const res = await request(t.app).get("/apis/messages/recent/").set(me.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    const rows: Row[] = res.body.results;
    expect(rows.map((r) => r.user.id)).toEqual([b.user.id, d.user.id, c.user.id]);
    expect(rows.map((r) => r.last_message?.content)).toEqual(["b3", "to d", "c1"]);
    expect(rows.map((r) => r.unread_count)).toEqual([3, 0, 0]);

    const page2 = await request(t.app).get("/apis/messages/recent/?page=2&page_size=2").set(me.auth);
    expect(page2.body.results.map((r: Row) => r.user.id)).toEqual([c.user.id]);
    expect(page2.body.previous).toMatch(/page=1/);

    // each partner sees only its own conversation with me
    const fromB = await request(t.app).get("/apis/messages/recent/").set(b.auth);
    expect(fromB.body.results.map((r: Row) => r.user.id)).toEqual([me.user.id]);
    expect(fromB.body.results[0].unread_count).toBe(0);
  });

  it("is empty for a user without conversations, 401 without a token, 400 for a bad page", async () => {
    const lonely = await createUser(t.deps);
    const res = await request(t.app).get("/apis/messages/recent/").set(lonely.auth);
    expect(res.body).toMatchObject({ count: 0, results: [] });
    expect((await request(t.app).get("/apis/messages/recent/")).status).toBe(401);
    expect((await request(t.app).get("/apis/messages/recent/?page=0").set(lonely.auth)).status).toBe(400);
  });
});

describe("GET /apis/messages/contacts/", () => {
  it("lists a brand's partners and the influencers who bid on its campaigns, with unread counts", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const otherBrand = await createUser(t.deps, { accountType: "brand" });
    // `stranger` has no link to the brand and must not be listed.
    const [bidder1, bidder2, chatter, , otherBidder] = await Promise.all([
      createUser(t.deps),
      createUser(t.deps),
      createUser(t.deps),
      createUser(t.deps),
      createUser(t.deps),
    ]);
    const campaign = await openCampaign(t, brand);
    const campaign2 = await openCampaign(t, brand, { title: "Winter" });
    const foreign = await openCampaign(t, otherBrand);
    await t.deps.db.bid.create({ data: { campaignId: campaign.id, influencerId: bidder1.user.id, amountCents: 1000 } });
    await t.deps.db.bid.create({
      data: { campaignId: campaign2.id, influencerId: bidder1.user.id, amountCents: 1000 },
    });
    await t.deps.db.bid.create({ data: { campaignId: campaign.id, influencerId: bidder2.user.id, amountCents: 2000 } });
    await t.deps.db.bid.create({
      data: { campaignId: foreign.id, influencerId: otherBidder.user.id, amountCents: 2000 },
    });
    await send(chatter.auth, brand.user.id, "hello brand");
    await send(chatter.auth, brand.user.id, "again");
    await send(bidder2.auth, brand.user.id, "about my bid");

    const res = await request(t.app).get("/apis/messages/contacts/").set(brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    const rows: Row[] = res.body.results;
    const byId = new Map(rows.map((r) => [r.user.id, r]));
    expect([...byId.keys()].sort()).toEqual([bidder1.user.id, bidder2.user.id, chatter.user.id].sort());
    expect(byId.get(chatter.user.id)?.unread_count).toBe(2);
    expect(byId.get(bidder2.user.id)?.unread_count).toBe(1);
    expect(byId.get(bidder1.user.id)).toMatchObject({ unread_count: 0, last_message_at: null });
    expect(byId.get(bidder2.user.id)?.last_message_at).toEqual(expect.any(String));
  });

  it("lists an influencer's partners and the brands of the campaigns it bid on", async () => {
    const influencer = await createUser(t.deps);
    const brand1 = await createUser(t.deps, { accountType: "brand" });
    const brand2 = await createUser(t.deps, { accountType: "brand" });
    const friend = await createUser(t.deps);
    const campaign = await openCampaign(t, brand1);
    await openCampaign(t, brand2);
    await t.deps.db.bid.create({
      data: { campaignId: campaign.id, influencerId: influencer.user.id, amountCents: 1000 },
    });
    await send(influencer.auth, friend.user.id, "hi friend");

    const res = await request(t.app).get("/apis/messages/contacts/").set(influencer.auth);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: Row) => r.user.id).sort()).toEqual([brand1.user.id, friend.user.id].sort());
    expect(res.body.results.every((r: Row) => r.unread_count === 0)).toBe(true);
  });

  it("answers 401 without a token", async () => {
    expect((await request(t.app).get("/apis/messages/contacts/")).status).toBe(401);
  });
});
