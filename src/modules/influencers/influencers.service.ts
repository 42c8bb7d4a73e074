// Influencer discovery for brands: members who are influencers, neither deleted nor suspended, filtered on their
// niche, their Instagram figures (only a verified handle's count: anyone can type a famous username), their rating
// (the reviews rollup) and whether they can be paid, with a search over names, username and bio. The indexes on
// User (accountType with igFollowersCount, ratingAverage, niche + igFollowersCount, createdAt; each ending with the id)
// serve the orderings: every key of a descending ordering descends, so the index is walked backwards, never sorted.
import type { Db, Prisma } from "../../db/client.ts";
import type { Dialect } from "../../db/dialect.ts";
import { textContains } from "../../db/query-helpers.ts";
import { skipTake } from "../../lib/pagination.ts";
import type { ReviewsService } from "../reviews/index.ts";
import type { InfluencerQuery } from "./influencers.schemas.ts";

type InfluencersDeps = { db: Db; dialect: Dialect; reviews: ReviewsService };

// Who a brand can pay now: the one place that decides it. Its Stripe connected account has payouts enabled (kept
// current by account.updated), so an approved delivery is transferred at once (see the payouts module).
function canBePaid(): Prisma.UserWhereInput {
  return { payoutAccount: { is: { payoutsEnabled: true } } };
}

const verifiedFigures: Prisma.UserWhereInput = { igVerifiedAt: { not: null }, igFollowersCount: { not: null } };

// The id breaks ties in the direction of the ordering, so the index serves it.
const orderings: Record<InfluencerQuery["ordering"], Prisma.UserOrderByWithRelationInput[]> = {
  "-followers": [{ igFollowersCount: "desc" }, { id: "desc" }],
  followers: [{ igFollowersCount: "asc" }, { id: "asc" }],
  "-rating": [{ ratingAverage: { sort: "desc", nulls: "last" } }, { ratingCount: "desc" }, { id: "desc" }],
  rating: [{ ratingAverage: { sort: "asc", nulls: "last" } }, { ratingCount: "desc" }, { id: "asc" }],
  newest: [{ createdAt: "desc" }, { id: "desc" }],
  oldest: [{ createdAt: "asc" }, { id: "asc" }],
};

export function createInfluencersService({ db, dialect, reviews }: InfluencersDeps) {
  function where(q: InfluencerQuery): Prisma.UserWhereInput {
    const and: Prisma.UserWhereInput[] = [{ accountType: "influencer", deletedAt: null, suspendedAt: null }];
    if (q.niche) and.push({ niche: q.niche });
    const byFollowers = q.followers_min !== undefined || q.followers_max !== undefined;
    if (byFollowers || q.ordering.endsWith("followers")) and.push(verifiedFigures);
    if (byFollowers) and.push({ igFollowersCount: { gte: q.followers_min, lte: q.followers_max } });
    if (q.rating_min !== undefined) and.push({ ratingAverage: { gte: q.rating_min } });
    if (q.can_be_paid !== undefined) and.push(q.can_be_paid ? canBePaid() : { NOT: canBePaid() });
    for (const word of (q.search ?? "").split(/\s+/).filter(Boolean).slice(0, 5)) {
      const contains = textContains(dialect, word);
      and.push({
        OR: [{ firstName: contains }, { lastName: contains }, { username: contains }, { bio: contains }],
      });
    }
    return { AND: and };
  }

  async function list(q: InfluencerQuery) {
    await reviews.countPublished(); // rating_min and the rating ordering see every review published by now
    const filter = where(q);
    const [count, rows] = await Promise.all([
      db.user.count({ where: filter }),
      db.user.findMany({
        where: filter,
        orderBy: orderings[q.ordering],
        include: { payoutAccount: { select: { payoutsEnabled: true } } },
        ...skipTake(q),
      }),
    ]);
    return { count, rows };
  }

  return { list };
}

export type InfluencersService = ReturnType<typeof createInfluencersService>;
