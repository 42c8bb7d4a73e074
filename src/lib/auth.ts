// Access tokens: HS256 JWTs carrying the user id, role and the user's token version, verified with the algorithm
// pinned. Every request re-reads the user (or its own statement does: route.ts, Caller), so role and verification are
// always current, and bumping the version (logout, password change or reset, suspension, deletion) makes every
// earlier token fail on its next request.
import crypto from "node:crypto";
import type { Request } from "express";
import jwt from "jsonwebtoken";
import { readRows, sql, type AccountType } from "../db/client.ts";
import type { AppDeps } from "./deps.ts";
import { unauthenticated } from "./errors.ts";

export type AuthUser = { id: string; email: string; accountType: AccountType; isVerified: boolean };

const ALGORITHM = "HS256";

// The HMAC key as a KeyObject, made once per secret: given a string, jsonwebtoken tries createPublicKey (which throws)
// and then createSecretKey on every sign and verify (measured: ~8% of a list request).
const keys = new Map<string, crypto.KeyObject>();
export function jwtKey(config: { JWT_SECRET: string }): crypto.KeyObject {
  let key = keys.get(config.JWT_SECRET);
  if (!key) keys.set(config.JWT_SECRET, (key = crypto.createSecretKey(Buffer.from(config.JWT_SECRET, "utf8"))));
  return key;
}

export function signAccessToken(
  deps: Pick<AppDeps, "config">,
  // A user row has tokenVersion; scripts signing for a fresh user may leave it out (0, a new account's version).
  user: { id: string; accountType: AccountType; tokenVersion?: number },
): string {
  return jwt.sign({ role: user.accountType, type: "access", ver: user.tokenVersion ?? 0 }, jwtKey(deps.config), {
    algorithm: ALGORITHM,
    subject: user.id,
    expiresIn: deps.config.JWT_ACCESS_TTL,
  });
}

// The user id and token version of a valid, unexpired access token; throws UNAUTHENTICATED otherwise. Tokens
// signed before versions existed carry none: they count as version 0, so they end with the first bump.
export function verifyAccessToken(deps: Pick<AppDeps, "config">, token: string): { id: string; version: number } {
  try {
    const payload = jwt.verify(token, jwtKey(deps.config), { algorithms: [ALGORITHM] });
    if (typeof payload === "object" && payload.type === "access" && typeof payload.sub === "string") {
      const version: unknown = payload.ver ?? 0;
      if (typeof version === "number") return { id: payload.sub, version };
    }
  } catch {
    // expired, forged or malformed: same answer below
  }
  throw unauthenticated("The access token is invalid or expired.");
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

// The columns the verdict on a token reads, and the verdict: the row of its user, at the token's version, not deleted.
export type AuthRow = AuthUser & { tokenVersion: number; deletedAt: Date | null };
export function admitRow(row: AuthRow | undefined, version: number): AuthUser {
  if (!row || row.tokenVersion !== version || row.deletedAt) {
    throw unauthenticated("The access token is invalid or expired.");
  }
  return { id: row.id, email: row.email, accountType: row.accountType, isVerified: row.isVerified };
}

// Every authenticated request runs this (but a route that reads its caller's row in its own statement, route()'s
// `callerRow`): one hand-written statement on the primary key, straight on the driver, its row reused while the
// database is unchanged (readRows: any write, on any connection, reads it again).
export async function readAuthRow(deps: Pick<AppDeps, "db">, id: string): Promise<AuthRow | undefined> {
  const [row] = await readRows<AuthRow>(
    deps.db,
    sql`SELECT "id", "email", "accountType", "isVerified", "tokenVersion", "deletedAt" FROM "User" WHERE "id" = ${id}`,
    { reuse: true },
  );
  return row;
}

export async function loadAuthUser(deps: Pick<AppDeps, "config" | "db">, token: string): Promise<AuthUser> {
  const { id, version } = verifyAccessToken(deps, token);
  return admitRow(await readAuthRow(deps, id), version);
}

export async function authenticate(deps: AppDeps, req: Request, opts?: { optional: false }): Promise<AuthUser>;
export async function authenticate(
  deps: AppDeps,
  req: Request,
  opts: { optional: true },
): Promise<AuthUser | undefined>;
export async function authenticate(
  deps: AppDeps,
  req: Request,
  opts = { optional: false },
): Promise<AuthUser | undefined> {
  const token = bearerToken(req.headers.authorization);
  if (!token) {
    if (opts.optional) return undefined;
    throw unauthenticated();
  }
  return loadAuthUser(deps, token);
}
