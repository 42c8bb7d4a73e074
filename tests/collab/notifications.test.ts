import request from "supertest";
import { expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { completedCollaboration, paidCollaboration, openCampaign } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";
import { connect, nextEvent, type Client } from "../helpers/realtime-sockets.ts";

const { t, stripe } = useStripeTestApp({ listen: true });

type Pushed = { id: string; type: string; data: Record<string, string> };

async function withSocket<T>(token: string, fn: (client: Client) => Promise<T>) {
  const client = await connect(t.url, token);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

const invite = (brand: { auth: Record<string, string> }, campaignId: string, influencerId: string) =>
  request(t.app).post(`/apis/campaigns/${campaignId}/invitations/`).set(brand.auth).send({ influencer: influencerId });
const invitedInfluencer = async () => {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const influencer = await createUser(t.deps, { accountType: "influencer" });
  const campaign = await openCampaign(t, brand);
  return { brand, influencer, campaign };
};
const dispute = (bidId: string, by: { auth: Record<string, string> }) =>
  request(t.app).post(`/apis/bids/${bidId}/dispute/`).set(by.auth).send({ reason: "Late", links: [] }).expect(201);

it("pushes an invitation to the influencer over Socket.IO, as the REST list shows it", async () => {
  const { brand, influencer, campaign } = await invitedInfluencer();
  await withSocket(influencer.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    const res = await invite(brand, campaign.id, influencer.user.id);
    const event = await pushed;
    expect(event).toMatchObject({ type: "campaign_invitation", data: { invitation_id: res.body.id } });
    const listed = await request(t.app).get("/apis/notifications/").set(influencer.auth);
    expect(listed.body.results[0]).toEqual(event);
  });
});

it("pushes a declined invitation to the brand over Socket.IO", async () => {
  const { brand, influencer, campaign } = await invitedInfluencer();
  const invitation = (await invite(brand, campaign.id, influencer.user.id).expect(201)).body as { id: string };
  await withSocket(brand.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app).post(`/apis/invitations/${invitation.id}/decline/`).set(influencer.auth).expect(200);
    expect(await pushed).toMatchObject({ type: "invitation_declined", data: { invitation_id: invitation.id } });
  });
});

it("pushes a review received while blind to its subject", async () => {
  const { brand, influencer, bid } = await completedCollaboration(t, stripe());
  await withSocket(influencer.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app).post(`/apis/bids/${bid.id}/review/`).set(brand.auth).send({ rating: 5 }).expect(201);
    expect(await pushed).toMatchObject({ type: "review_received", data: { bid_id: bid.id } });
  });
});

it("pushes the published reviews to the side that reviewed first", async () => {
  const { brand, influencer, bid } = await completedCollaboration(t, stripe());
  await request(t.app).post(`/apis/bids/${bid.id}/review/`).set(brand.auth).send({ rating: 5 }).expect(201);
  await withSocket(brand.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app).post(`/apis/bids/${bid.id}/review/`).set(influencer.auth).send({ rating: 4 }).expect(201);
    expect(await pushed).toMatchObject({ type: "review_published", data: { bid_id: bid.id } });
  });
});

it("pushes an opened dispute to the other side and to admins", async () => {
  const { brand, influencer, bid } = await paidCollaboration(t, stripe());
  const admin = await createUser(t.deps, { accountType: "admin" });
  await withSocket(influencer.token, (toInfluencer) =>
    withSocket(admin.token, async (toAdmin) => {
      const pushed = [nextEvent<Pushed>(toInfluencer, "notification"), nextEvent<Pushed>(toAdmin, "notification")];
      const res = await dispute(bid.id, brand);
      for (const event of await Promise.all(pushed)) {
        expect(event).toMatchObject({ type: "dispute_opened", data: { dispute_id: res.body.id, bid_id: bid.id } });
      }
    }),
  );
});

it("pushes a dispute statement to the other side", async () => {
  const { brand, influencer, bid } = await paidCollaboration(t, stripe());
  const opened = (await dispute(bid.id, brand)).body as { id: string };
  await withSocket(brand.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app)
      .post(`/apis/disputes/${opened.id}/events/`)
      .set(influencer.auth)
      .send({ message: "It was on time" })
      .expect(201);
    expect(await pushed).toMatchObject({ type: "dispute_statement", data: { dispute_id: opened.id } });
  });
});
