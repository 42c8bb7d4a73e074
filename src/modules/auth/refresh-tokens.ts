// Refresh tokens: HS256 JWTs (algorithm pinned) whose jti is a RefreshToken row. Each refresh marks the presented
// token used and issues the next one in the same family; presenting a used or revoked token is treated as theft
// and revokes the whole family, so whoever holds the newer token is logged out too.
import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import type { Config } from "../../config.ts";
import type { Db, DbOrTx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import { jwtKey } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { unauthenticated } from "../../lib/errors.ts";

const ALGORITHM = "HS256";
type Claims = { jti: string; familyId: string; userId: string };

const invalid = () => unauthenticated("The refresh token is invalid, expired or revoked.");

// The auth service's refresh-token steps (built by createAuthService).
export function createRefreshTokens({ db, config, clock }: { db: Db; config: Config; clock: Clock }) {
  async function issueRefreshToken(userId: string, familyId: string = crypto.randomUUID(), tx: DbOrTx = db) {
    const jti = crypto.randomUUID();
    const ttl = config.JWT_REFRESH_TTL;
    await tx.refreshToken.create({
      data: { id: jti, familyId, userId, expiresAt: new Date(clock.now().getTime() + ttl * 1000) },
    });
    return jwt.sign({ type: "refresh", fam: familyId }, jwtKey(config), {
      algorithm: ALGORITHM,
      subject: userId,
      jwtid: jti,
      expiresIn: ttl,
    });
  }

  function verify(token: string): Claims {
    try {
      const p = jwt.verify(token, jwtKey(config), { algorithms: [ALGORITHM] });
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

  async function revokeFamily(familyId: string) {
    await db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: clock.now() } });
  }

  // A new login session: the user's expired token rows are dropped on the way (they can no longer be presented).
  async function startSession(userId: string): Promise<string> {
    await db.refreshToken.deleteMany({ where: { userId, expiresAt: { lt: clock.now() } } });
    return issueRefreshToken(userId);
  }

  // Returns the user id and the next refresh token of the family.
  async function rotateRefreshToken(token: string): Promise<{ userId: string; refresh: string }> {
    const claims = verify(token);
    const now = clock.now();
    const outcome = await transaction(db, async (tx) => {
      const row = await tx.refreshToken.findUnique({ where: { id: claims.jti } });
      if (!row || row.familyId !== claims.familyId || row.userId !== claims.userId) return "unknown" as const;
      if (row.expiresAt <= now) return "expired" as const;
      // Conditional: of two requests presenting the same token, one rotates and the other is a reuse.
      const { count } = await tx.refreshToken.updateMany({
        where: { id: row.id, usedAt: null, revokedAt: null },
        data: { usedAt: now },
      });
      if (count !== 1) return "reused" as const;
      return { refresh: await issueRefreshToken(row.userId, row.familyId, tx) };
    });
    if (outcome === "reused") await revokeFamily(claims.familyId);
    if (typeof outcome === "string") throw invalid();
    return { userId: claims.userId, refresh: outcome.refresh };
  }

  // Logout: the token's whole family (this login session) is revoked. `live` says whether the token presented was
  // still usable (neither used, revoked nor expired), i.e. whether its holder was really logged in.
  async function endRefreshSession(token: string): Promise<{ userId: string; live: boolean }> {
    const claims = verify(token);
    const row = await db.refreshToken.findUnique({ where: { id: claims.jti } });
    if (!row || row.familyId !== claims.familyId) throw invalid();
    await revokeFamily(claims.familyId);
    const live = !row.usedAt && !row.revokedAt && row.expiresAt > clock.now();
    return { userId: row.userId, live };
  }

  return { startSession, rotateRefreshToken, endRefreshSession };
}
