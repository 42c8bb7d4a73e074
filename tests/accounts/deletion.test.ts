// Deleting an account anonymises it: the other side of a completed, paid collaboration keeps its campaign, bid,
// payment, dashboard totals, analytics and messages exactly as they were; the deleted user shows as a deleted user.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { loginAs, registration } from "../helpers/accounts-api.ts";
import { brandView, completedPaidCollaboration, influencerView, rows, withoutUser } from "../helpers/accounts-world.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";
import { pendingBid } from "../helpers/collaborations.ts";

const { t, stripe } = useStripeTestApp();

const PERSONAL = ["email", "phone_number"];

function expectDeletedShapes(shapes: unknown[], id: string) {
  expect(shapes.length).toBeGreaterThan(0);
  for (const shape of shapes) {
    expect(shape).toMatchObject({
      id,
      first_name: "Deleted",
      last_name: "user",
      bio: "",
      profile_picture: null,
      instagram_username: null,
      niche: null,
      company_name: null,
      website: null,
      is_deleted: true,
      instagram_verified: false,
    });
    for (const key of PERSONAL) expect(shape).not.toHaveProperty(key);
  }
}

// The views compared hold the whole story, so "unchanged" means something.
function expectWholeHistory(view: unknown, bidId: string) {
  const text = JSON.stringify(view);
  for (const part of [bidId, "Thanks for the reels!", "A pleasure", '"1500.00"', '"reach":1200']) {
    expect(text).toContain(part);
  }
}

describe("DELETE /apis/delete-user/<email>/ of one side of a completed, paid collaboration", () => {
  it("deleting the influencer leaves the brand's campaign, bid, payment, dashboard totals, analytics and messages as they were", async () => {
    const w = await completedPaidCollaboration(t, stripe());
    const id = w.influencer.user.id;
    const before = await brandView(t, w);
    const rowsBefore = await rows(t, w);
    expectWholeHistory(before, w.bid.id);

    await request(t.app).delete(`/apis/delete-user/${w.influencer.user.email}/`).set(w.influencer.auth).expect(204);

    const after = await brandView(t, w);
    const found = { deletedShapes: [] as unknown[] };
    expect(withoutUser(after, id, found)).toEqual(withoutUser(before, id));
    expectDeletedShapes(found.deletedShapes, id);
    expect(await rows(t, w)).toEqual(rowsBefore);
    expect((before.dashboard as { money: unknown }).money).toEqual((after.dashboard as { money: unknown }).money);
  });

  it("deleting the brand leaves the influencer's bid, payment, analytics, completed campaign and messages as they were", async () => {
    const w = await completedPaidCollaboration(t, stripe());
    const id = w.brand.user.id;
    const before = await influencerView(t, w);
    const rowsBefore = await rows(t, w);
    expectWholeHistory(before, w.bid.id);

    await request(t.app).delete(`/apis/delete-user/${w.brand.user.email}/`).set(w.brand.auth).expect(204);

    const after = await influencerView(t, w);
    const found = { deletedShapes: [] as unknown[] };
    expect(withoutUser(after, id, found)).toEqual(withoutUser(before, id));
    expectDeletedShapes(found.deletedShapes, id);
    expect(await rows(t, w)).toEqual(rowsBefore);
  });
});

describe("what deletion does to the account itself", () => {
  it("clears the personal data, makes login impossible and frees the email to register again", async () => {
    const body = registration({
      account_type: "influencer",
      niche: "travel",
      bio: "Wanderer",
      instagram_username: "wander.er",
    });
    const made = await request(t.app).post("/apis/register-user/").send(body);
    expect(made.status).toBe(201);
    const session = await loginAs(t, body.email, body.password);
    await request(t.app)
      .delete(`/apis/delete-user/${body.email}/`)
      .set("Authorization", `Bearer ${session.access}`)
      .expect(204);

    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: made.body.id as string } });
    expect(row).toMatchObject({
      firstName: "Deleted",
      lastName: "user",
      phoneNumber: "",
      bio: "",
      niche: null,
      instagramUsername: null,
      profilePicture: null,
      igFollowersCount: null,
      passwordHash: "",
    });
    expect(row.email).not.toContain(body.email);
    expect(row.username).not.toContain(body.username);
    expect(row.deletedAt).not.toBeNull();
    expect(await t.deps.db.refreshToken.count({ where: { userId: row.id } })).toBe(0);
    expect(await t.deps.db.otpCode.count({ where: { userId: row.id } })).toBe(0);

    expect(
      (await request(t.app).post("/apis/login/").send({ email: body.email, password: body.password })).status,
    ).toBe(401);
    for (const password of ["", "x"]) {
      const res = await request(t.app).post("/apis/login/").send({ email: row.email, password });
      expect([400, 401]).toContain(res.status);
    }
    const again = await request(t.app).post("/apis/register-user/").send(body);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(row.id);
  });

  it("hides a deleted account from the user list, and shows its anonymised public shape by id", async () => {
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const { user, auth } = await createUser(t.deps, { niche: "fitness" });
    await request(t.app).delete(`/apis/delete-user/${user.email}/`).set(auth).expect(204);
    const list = await request(t.app).get("/apis/users/?page_size=100").set(viewer.auth);
    expect(list.body.results.map((u: { id: string }) => u.id)).not.toContain(user.id);
    const one = await request(t.app).get(`/apis/user/${user.id}/`).set(viewer.auth);
    expect(one.status).toBe(200);
    expectDeletedShapes([one.body], user.id);
  });

  it("closes a deleted brand's open campaigns and declines the pending bids, on them and of a deleted influencer", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps);
    const { campaign: open, bid } = await pendingBid(t, { brand, influencer });
    await request(t.app).delete(`/apis/delete-user/${brand.user.email}/`).set(brand.auth).expect(204);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: open.id } })).status).toBe("closed");
    expect((await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.id } })).status).toBe("declined");

    const other = await createUser(t.deps, { accountType: "brand" });
    const second = await createUser(t.deps);
    const { campaign: elsewhere, bid: pending } = await pendingBid(t, { brand: other, influencer: second });
    await request(t.app).delete(`/apis/delete-user/${second.user.email}/`).set(second.auth).expect(204);
    expect((await t.deps.db.bid.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("declined");
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: elsewhere.id } })).status).toBe("open");
  });

  it("keeps the login of the other side working", async () => {
    const w = await completedPaidCollaboration(t, stripe());
    await request(t.app).delete(`/apis/delete-user/${w.brand.user.email}/`).set(w.brand.auth).expect(204);
    await loginAs(t, w.influencer.user.email, PASSWORD);
  });
});
