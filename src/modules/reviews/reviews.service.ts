// Double-blind reviews: after a bid's campaign is completed each side reviews the other once. A review is published
// when the other side has reviewed too or 14 days after it was written, whichever comes first. That is decided at
// read time from the stored time and the clock: visibleFrom is created_at + 14 days, moved to the moment of the
// second review when it comes (both rows), and a review is shown when visibleFrom <= now. No scheduler is needed.
// The users' rating rollup (User.rating*, for discovery's filter and ordering) counts each review once it is
// published: countPublished() claims the due ones (conditional on countedAt, so racing callers count each once);
// discovery and the review list call it before reading.
import type { Db, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { conflict, invalidState, notFound } from "../../lib/errors.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import type { NotificationsService } from "../notifications/index.ts";
import { reviewInclude } from "./reviews.queries.ts";
import type { CreateReviewInput } from "./reviews.schemas.ts";

const BLIND_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
const COUNT_BATCH = 500;

type ReviewsDeps = { db: Db; clock: Clock; notifications: NotificationsService };

export function createReviewsService({ db, clock, notifications }: ReviewsDeps) {
  // Adds the published, not yet counted reviews (of these ids, or all) to their subjects' rollups, each once: the
  // claim and the rollup commit together, and the rollup is one statement (its right-hand sides read the row as it
  // was), so racing callers can neither count a review twice nor write an average from a stale sum.
  async function countPublished(ids?: string[], tx?: Tx): Promise<void> {
    const where = { countedAt: null, visibleFrom: { lte: clock.now() }, ...(ids && { id: { in: ids } }) };
    if (!tx) {
      // Reads (discovery, profiles) call this on every request: a write transaction only when something is due.
      if (!(await db.review.findFirst({ where, select: { id: true } }))) return;
      return transaction(db, (t) => countPublished(ids, t));
    }
    const now = clock.now();
    const due = await tx.review.findMany({
      where,
      select: { id: true, subjectId: true, rating: true },
      take: COUNT_BATCH,
    });
    for (const review of due) {
      const { count } = await tx.review.updateMany({
        where: { id: review.id, countedAt: null },
        data: { countedAt: now },
      });
      if (count !== 1) continue;
      await tx.$executeRaw`UPDATE "User" SET "ratingSum" = "ratingSum" + ${review.rating},
        "ratingCount" = "ratingCount" + 1,
        "ratingAverage" = CAST("ratingSum" + ${review.rating} AS DOUBLE PRECISION) / ("ratingCount" + 1)
        WHERE "id" = ${review.subjectId}`;
    }
  }

  async function completedBidOf(author: AuthUser, bidId: string, tx: Tx) {
    // The write on the bid row makes the two sides' reviews of one bid wait for each other (PostgreSQL row lock;
    // SQLite runs one writer at a time), so the second always sees the first.
    await tx.$executeRaw`UPDATE "Bid" SET "status" = "status" WHERE "id" = ${bidId}`;
    const bid = await tx.bid.findFirst({
      where: { id: bidId, OR: [{ influencerId: author.id }, { campaign: { brandId: author.id } }] },
      include: { campaign: true },
    });
    if (!bid) throw notFound("Bid");
    if (bid.status !== "accepted" || bid.campaign.status !== "completed") {
      throw invalidState("Reviews are written once the collaboration is completed.");
    }
    return bid;
  }

  function create(author: AuthUser, bidId: string, input: CreateReviewInput) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await completedBidOf(author, bidId, tx);
      const subjectId = bid.influencerId === author.id ? bid.campaign.brandId : bid.influencerId;
      if (await tx.review.findUnique({ where: { bidId_authorId: { bidId, authorId: author.id } } })) {
        throw conflict("You have already reviewed this collaboration.");
      }
      const now = clock.now();
      const other = await tx.review.findUnique({ where: { bidId_authorId: { bidId, authorId: subjectId } } });
      if (other && other.visibleFrom > now) {
        await tx.review.update({ where: { id: other.id }, data: { visibleFrom: now } });
      }
      const review = await tx.review.create({
        data: {
          bidId,
          authorId: author.id,
          subjectId,
          rating: input.rating,
          text: input.text ?? "",
          createdAt: now,
          visibleFrom: other ? now : new Date(now.getTime() + BLIND_DAYS * DAY_MS),
        },
        include: reviewInclude,
      });
      const data = { campaign_id: bid.campaignId, bid_id: bid.id, review_id: review.id, actor_id: author.id };
      const title = bid.campaign.title;
      if (other) {
        await countPublished([review.id, other.id], tx);
        for (const userId of [author.id, subjectId]) {
          await notify({
            userId,
            type: "review_published",
            message: `Both reviews of "${title}" are published.`,
            data,
          });
        }
      } else {
        await notify({
          userId: subjectId,
          type: "review_received",
          message: `You were reviewed for "${title}": it is shown once you review too, or in ${BLIND_DAYS} days.`,
          data,
        });
      }
      return review;
    });
  }

  // The published reviews about a user, newest first, and the user (its rollup then counts exactly these).
  async function listPublished(userId: string, page: Page) {
    await countPublished();
    const user = await db.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("User");
    const where = { subjectId: userId, visibleFrom: { lte: clock.now() } };
    const [count, rows] = await Promise.all([
      db.review.count({ where }),
      db.review.findMany({
        where,
        include: reviewInclude,
        orderBy: [{ visibleFrom: "desc" }, { id: "desc" }],
        ...skipTake(page),
      }),
    ]);
    return { user, count, rows };
  }

  return { create, listPublished, countPublished };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
