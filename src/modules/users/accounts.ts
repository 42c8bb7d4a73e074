// Account rows' plain steps, over a database or the caller's transaction: creation (registration, the admin CLI),
// lookups and the writes of the sign-in fields (address, verification, password). Auth, which is built before users
// (users ends sessions through auth's service), uses these rather than a users service.
import type { Config } from "../../config.ts";
import type { AccountType, Db, DbOrTx, Prisma, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/query-helpers.ts";
import { transaction } from "../../db/transaction.ts";
import { conflict, notFound, validationError } from "../../lib/errors.ts";
import { hashPassword } from "./passwords.ts";
import { payoutAccountFlag } from "./users.queries.ts";

export type UserRow = Prisma.UserGetPayload<object>;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export type NewAccount = {
  email: string;
  username: string;
  password: string;
  accountType: AccountType;
  isVerified?: boolean;
  profile?: Omit<Prisma.UserCreateInput, "email" | "username" | "passwordHash" | "accountType" | "isVerified">;
};

// Creates an account (and whatever `andThen` writes in the same transaction); a taken email or username is a 409
// naming the field. The password is hashed before the transaction opens (it takes a while on purpose).
export async function createAccount(
  { db, config }: { db: Db; config: Config },
  account: NewAccount,
  andThen?: (tx: Tx, user: UserRow) => Promise<void>,
): Promise<UserRow> {
  const email = normalizeEmail(account.email);
  const passwordHash = await hashPassword(config, account.password);
  try {
    return await transaction(db, async (tx) => {
      await assertAvailable(email, account.username, tx);
      const user = await tx.user.create({
        data: {
          ...account.profile,
          email,
          username: account.username,
          passwordHash,
          accountType: account.accountType,
          isVerified: account.isVerified ?? false,
        },
      });
      await andThen?.(tx, user);
      return user;
    });
  } catch (e) {
    // Lost a race with another registration of the same email or username: name the field like the pre-check.
    if (isUniqueViolation(e)) await assertAvailable(email, account.username, db);
    throw e;
  }
}

// 409 when another account has this email (deleted accounts gave theirs up); `field` names it in the details.
export async function assertEmailAvailable(email: string, field: string, tx: DbOrTx) {
  const taken = await tx.user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true } });
  if (taken) throw conflict("A user with this email already exists.", { [field]: ["this email is already taken"] });
}

async function assertAvailable(email: string, username: string, tx: DbOrTx) {
  const taken = await tx.user.findFirst({ where: { OR: [{ email }, { username }] }, select: { email: true } });
  if (!taken) return;
  const field = taken.email === email ? "email" : "username";
  throw conflict(`A user with this ${field} already exists.`, { [field]: [`this ${field} is already taken`] });
}

export const findUserByEmail = (email: string, tx: DbOrTx) =>
  tx.user.findUnique({ where: { email: normalizeEmail(email) } });

export async function getUserOr404(id: string, tx: DbOrTx): Promise<UserRow> {
  const user = await tx.user.findUnique({ where: { id }, include: payoutAccountFlag });
  if (!user) throw notFound("User");
  return user;
}

// The sign-in fields auth changes (a confirmed address, a verified email, a reset password); returns the row.
export const updateAccount = (
  userId: string,
  data: { email?: string; isVerified?: boolean; passwordHash?: string },
  tx: DbOrTx,
) => tx.user.update({ where: { id: userId }, data });

type RoleFields = { company_name?: string | null; website?: string | null; niche?: string | null };

// A field of the other role is a 400 on registration and on update alike (clearing it with "" or null is allowed).
export function assertRoleFields(accountType: AccountType, input: RoleFields): void {
  const wrongRole = (field: string, role: AccountType) =>
    validationError(`Only ${role} accounts have a ${field}.`, { [field]: [`only for ${role} accounts`] });
  if (accountType !== "brand") {
    if (input.company_name) throw wrongRole("company_name", "brand");
    if (input.website) throw wrongRole("website", "brand");
  }
  if (accountType !== "influencer" && input.niche) throw wrongRole("niche", "influencer");
}
