// Refresh tokens: HS256 JWTs (algorithm pinned) whose jti is a RefreshToken row. Each refresh marks the presented
// token used and issues the next one in the same family; presenting a used or revoked token is treated as theft
// and revokes the whole family, so whoever holds the newer token is logged out too.
import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import type { DbOrTx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import { jwtKey } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { unauthenticated } from "../../lib/errors.ts";

const ALGORITHM = "HS256";
type Deps = Pick<AppDeps, "config" | "clock" | "db">;
type Claims = { jti: string; familyId: string; userId: string };

const invalid = () => unauthenticated("The refresh token is invalid, expired or revoked.");

// A new login session: the user's expired token rows are dropped on the way (they can no longer be presented).
export async function startSession(deps: Deps, userId: string): Promise<string> {
  await deps.db.refreshToken.deleteMany({ where: { userId, expiresAt: { lt: deps.clock.now() } } });
  return issueRefreshToken(deps, deps.db, userId);
}

async function issueRefreshToken(
  deps: Pick<AppDeps, "config" | "clock">,
  db: DbOrTx,
  userId: string,
  familyId: string = crypto.randomUUID(),
) {
  const jti = crypto.randomUUID();
  const ttl = deps.config.JWT_REFRESH_TTL;
  await db.refreshToken.create({
    data: { id: jti, familyId, userId, expiresAt: new Date(deps.clock.now().getTime() + ttl * 1000) },
  });
  return jwt.sign({ type: "refresh", fam: familyId }, jwtKey(deps.config), {
    algorithm: ALGORITHM,
    subject: userId,
    jwtid: jti,
    expiresIn: ttl,
  });
}

function verify(deps: Pick<AppDeps, "config">, token: string): Claims {
  try {
    const p = jwt.verify(token, jwtKey(deps.config), { algorithms: [ALGORITHM] });
    if (
      typeof p === "object" &&
      p.type === "refresh" &&
      typeof p.jti === "string" &&
      typeof p.fam === "string" &&
      typeof p.sub === "string"
    ) {
      return { jti: p.jti, familyId: p.fam, userId: p.sub };
    }
  } catch {
    // expired, forged or malformed: same answer below
  }
  throw invalid();
}

async function revokeFamily(deps: Deps, familyId: string) {
  await deps.db.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: deps.clock.now() },
  });
}

// Returns the user id and the next refresh token of the family.
export async function rotateRefreshToken(deps: Deps, token: string): Promise<{ userId: string; refresh: string }> {
  const claims = verify(deps, token);
  const now = deps.clock.now();
  const outcome = await transaction(deps.db, async (tx) => {
    const row = await tx.refreshToken.findUnique({ where: { id: claims.jti } });
    if (!row || row.familyId !== claims.familyId || row.userId !== claims.userId) return "unknown" as const;
    if (row.expiresAt <= now) return "expired" as const;
    // Conditional: of two requests presenting the same token, one rotates and the other is a reuse.
    const { count } = await tx.refreshToken.updateMany({
      where: { id: row.id, usedAt: null, revokedAt: null },
      data: { usedAt: now },
    });
    if (count !== 1) return "reused" as const;
    return { refresh: await issueRefreshToken(deps, tx, row.userId, row.familyId) };
  });
  if (outcome === "reused") await revokeFamily(deps, claims.familyId);
  if (typeof outcome === "string") throw invalid();
  return { userId: claims.userId, refresh: outcome.refresh };
}

// Logout: the token's whole family (this login session) is revoked. `live` says whether the token presented was
// still usable (neither used, revoked nor expired), i.e. whether its holder was really logged in.
export async function endRefreshSession(deps: Deps, token: string): Promise<{ userId: string; live: boolean }> {
  const claims = verify(deps, token);
  const row = await deps.db.refreshToken.findUnique({ where: { id: claims.jti } });
  if (!row || row.familyId !== claims.familyId) throw invalid();
  await revokeFamily(deps, claims.familyId);
  const live = !row.usedAt && !row.revokedAt && row.expiresAt > deps.clock.now();
  return { userId: row.userId, live };
}
