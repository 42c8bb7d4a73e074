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

it("pushes invitation notifications over Socket.IO, as the REST list shows them", async () => {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const influencer = await createUser(t.deps, { accountType: "influencer" });
  const campaign = await openCampaign(t, brand);
  const invitation = await withSocket(influencer.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    const res = await request(t.app)
      .post(`/apis/campaigns/${campaign.id}/invitations/`)
      .set(brand.auth)
      .send({ influencer: influencer.user.id });
    const event = await pushed;
    expect(event).toMatchObject({ type: "campaign_invitation", data: { invitation_id: res.body.id } });
    const listed = await request(t.app).get("/apis/notifications/").set(influencer.auth);
    expect(listed.body.results[0]).toEqual(event);
    return res.body as { id: string };
  });
  await withSocket(brand.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app).post(`/apis/invitations/${invitation.id}/decline/`).set(influencer.auth).expect(200);
    expect(await pushed).toMatchObject({ type: "invitation_declined", data: { invitation_id: invitation.id } });
  });
});

it("pushes review notifications: received while blind, published to both sides", async () => {
  const { brand, influencer, bid } = await completedCollaboration(t, stripe());
  await withSocket(influencer.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app).post(`/apis/bids/${bid.id}/review/`).set(brand.auth).send({ rating: 5 }).expect(201);
    expect(await pushed).toMatchObject({ type: "review_received", data: { bid_id: bid.id } });
  });
  await withSocket(brand.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app).post(`/apis/bids/${bid.id}/review/`).set(influencer.auth).send({ rating: 4 }).expect(201);
    expect(await pushed).toMatchObject({ type: "review_published", data: { bid_id: bid.id } });
  });
});

it("pushes dispute notifications: opened to the other side and admins, statements to the other side", async () => {
  const { brand, influencer, bid } = await paidCollaboration(t, stripe());
  const admin = await createUser(t.deps, { accountType: "admin" });
  const dispute = await withSocket(influencer.token, (toInfluencer) =>
    withSocket(admin.token, async (toAdmin) => {
      const pushed = [nextEvent<Pushed>(toInfluencer, "notification"), nextEvent<Pushed>(toAdmin, "notification")];
      const res = await request(t.app)
        .post(`/apis/bids/${bid.id}/dispute/`)
        .set(brand.auth)
        .send({ reason: "Late", links: [] })
        .expect(201);
      for (const event of await Promise.all(pushed)) {
        expect(event).toMatchObject({ type: "dispute_opened", data: { dispute_id: res.body.id, bid_id: bid.id } });
      }
      return res.body as { id: string };
    }),
  );
  await withSocket(brand.token, async (client) => {
    const pushed = nextEvent<Pushed>(client, "notification");
    await request(t.app)
      .post(`/apis/disputes/${dispute.id}/events/`)
      .set(influencer.auth)
      .send({ message: "It was on time" })
      .expect(201);
    expect(await pushed).toMatchObject({ type: "dispute_statement", data: { dispute_id: dispute.id } });
  });
});
