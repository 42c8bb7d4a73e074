// Access tokens: HS256 JWTs carrying the user id and role, verified with the algorithm pinned. Every request
// re-reads the user, so a deleted user's tokens stop working at once and role/verification are always current.
import type { Request } from "express";
import jwt from "jsonwebtoken";
import type { AccountType } from "../db/client.ts";
import type { AppDeps } from "./deps.ts";
import { unauthenticated } from "./errors.ts";

export type AuthUser = { id: string; email: string; accountType: AccountType; isVerified: boolean };

const ALGORITHM = "HS256";

export function signAccessToken(deps: Pick<AppDeps, "config">, user: { id: string; accountType: AccountType }): string {
  return jwt.sign({ role: user.accountType, type: "access" }, deps.config.JWT_SECRET, {
    algorithm: ALGORITHM,
    subject: user.id,
    expiresIn: deps.config.JWT_ACCESS_TTL,
  });
}

// The user id of a valid, unexpired access token; throws UNAUTHENTICATED otherwise.
function verifyAccessToken(deps: Pick<AppDeps, "config">, token: string): string {
  try {
    const payload = jwt.verify(token, deps.config.JWT_SECRET, { algorithms: [ALGORITHM] });
    if (typeof payload === "object" && payload.type === "access" && typeof payload.sub === "string") return payload.sub;
  } catch {
    // expired, forged or malformed: same answer below
  }
  throw unauthenticated("The access token is invalid or expired.");
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

export async function loadAuthUser(deps: Pick<AppDeps, "config" | "db">, token: string): Promise<AuthUser> {
  const id = verifyAccessToken(deps, token);
  const user = await deps.db.user.findUnique({
    where: { id },
    select: { id: true, email: true, accountType: true, isVerified: true },
  });
  if (!user) throw unauthenticated("The access token is invalid or expired.");
  return user;
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
