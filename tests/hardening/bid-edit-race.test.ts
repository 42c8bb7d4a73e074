// An influencer's bid edit racing the brand's budget cut: whichever commits first, the other sees it (both take the
// campaign's lock), so no bid is ever left above its campaign's budget. Found on PostgreSQL; run on both databases.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { pendingBid } from "../helpers/collaborations.ts";

const t = useTestApp();

describe("a bid edit racing a budget cut", () => {
  it("never leaves a pending bid above the budget", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps);
    for (let round = 0; round < 15; round++) {
      const { campaign, bid } = await pendingBid(t, { brand, influencer, budgetCents: 100_000, amountCents: 50_000 });
      const [edit, cut] = await Promise.all([
        request(t.app).patch(`/apis/bids/update/${bid.id}/`).set(influencer.auth).send({ amount: "900.00" }),
        request(t.app).patch(`/apis/update-campaign/${campaign.id}/`).set(brand.auth).send({ budget: "600.00" }),
      ]);
      expect([edit.status, cut.status].every((s) => s < 500)).toBe(true);
      const after = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      const row = await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.id } });
      expect(row.amountCents).toBeLessThanOrEqual(after.budgetCents);
    }
  }, 60_000);
});
