// The admin API's account side: finding users, suspending and reinstating them. A suspension ends every session
// (auth.revokeSessions: the token version moves on, refresh tokens are revoked), so the user's next request is 401, and
// closes its sockets on every instance once committed; login refuses a suspended account until it is reinstated.
import type { Db, Prisma } from "../../db/client.ts";
import type { Dialect } from "../../db/dialect.ts";
import { textContains } from "../../db/query-helpers.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { invalidState, notFound } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import type { Publisher } from "../../realtime/publisher.ts";
import type { AuthService } from "../auth/index.ts";
import type { NotificationsService } from "../notifications/index.ts";
import type { AdminUserQuery } from "./admin.schemas.ts";

type AdminDeps = {
  db: Db;
  clock: Clock;
  publisher: Publisher;
  notifications: NotificationsService;
  revokeSessions: AuthService["revokeSessions"];
  dialect: Dialect;
};

const states: Record<NonNullable<AdminUserQuery["state"]>, Prisma.UserWhereInput> = {
  active: { deletedAt: null, suspendedAt: null },
  suspended: { deletedAt: null, suspendedAt: { not: null } },
  deleted: { deletedAt: { not: null } },
};

export function createAdminService({ db, clock, publisher, notifications, revokeSessions, dialect }: AdminDeps) {
  async function listUsers(q: AdminUserQuery) {
    const and: Prisma.UserWhereInput[] = [{ accountType: q.account_type }, q.state ? states[q.state] : {}];
    for (const word of (q.search ?? "").split(/\s+/).filter(Boolean).slice(0, 5)) {
      const contains = textContains(dialect, word);
      and.push({ OR: [{ email: contains }, { username: contains }, { firstName: contains }, { lastName: contains }] });
    }
    const where = { AND: and };
    const [count, rows] = await Promise.all([
      db.user.count({ where }),
      db.user.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], ...skipTake(q) }),
    ]);
    return { count, rows };
  }

  async function suspend(admin: AuthUser, userId: string, reason: string | undefined) {
    const user = await notifications.inTransaction(async (tx, notify) => {
      const target = await tx.user.findUnique({ where: { id: userId } });
      if (!target || target.deletedAt) throw notFound("User");
      if (target.accountType === "admin") throw invalidState("Admin accounts cannot be suspended.");
      const now = clock.now();
      const { count } = await tx.user.updateMany({
        where: { id: userId, suspendedAt: null },
        data: { suspendedAt: now },
      });
      if (count !== 1) throw invalidState("The account is already suspended.");
      await revokeSessions(userId, tx);
      await notify({
        userId,
        type: "account_suspended",
        message: reason ? `Your account was suspended: ${reason}` : "Your account was suspended.",
        data: { actor_id: admin.id },
      });
      return tx.user.findUniqueOrThrow({ where: { id: userId } });
    });
    publisher.disconnectUser(userId);
    return user;
  }

  function reinstate(admin: AuthUser, userId: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const target = await tx.user.findUnique({ where: { id: userId } });
      if (!target || target.deletedAt) throw notFound("User");
      const { count } = await tx.user.updateMany({
        where: { id: userId, suspendedAt: { not: null } },
        data: { suspendedAt: null },
      });
      if (count !== 1) throw invalidState("The account is not suspended.");
      await notify({
        userId,
        type: "account_reinstated",
        message: "Your account was reinstated.",
        data: { actor_id: admin.id },
      });
      return tx.user.findUniqueOrThrow({ where: { id: userId } });
    });
  }

  return { listUsers, suspend, reinstate };
}

export type AdminService = ReturnType<typeof createAdminService>;
