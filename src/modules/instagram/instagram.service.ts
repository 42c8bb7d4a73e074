// Public figures of an Instagram business or creator account through the Graph API's business discovery, stored on
// the influencers who give that username. Only a validated username ever reaches the upstream URL.
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { notConfigured, notFound, upstreamError, validationError } from "../../lib/errors.ts";
import { limit } from "../../lib/rate-limit.ts";
import type { AuthService } from "../auth/index.ts";
import type { InstagramFigures, UsersService } from "../users/index.ts";
import { createVerification } from "./instagram-verification.ts";
import { businessDiscoveryReply, graphErrorReply } from "./instagram.schemas.ts";

const TIMEOUT_MS = 5000;
const FIELDS = "followers_count,follows_count,media_count,biography,profile_picture_url,username";
// The Graph API answers an unknown (or non-business) username with error 110 / subcode 2207013.
const UNKNOWN_ACCOUNT = { code: 110, subcode: 2207013 };

export type InstagramDeps = Pick<AppDeps, "config" | "clock" | "logger" | "limits"> & {
  users: Pick<UsersService, "getUser" | "storeInstagramFigures" | "markInstagramVerified">;
  auth: Pick<AuthService, "issueOtp" | "liveOtp" | "consumeOtp">;
};

async function callGraph({ config, logger }: InstagramDeps, username: string): Promise<unknown> {
  const { INSTAGRAM_GRAPH_URL, INSTAGRAM_ACCESS_TOKEN, INSTAGRAM_BUSINESS_ACCOUNT_ID } = config;
  if (!INSTAGRAM_ACCESS_TOKEN || !INSTAGRAM_BUSINESS_ACCOUNT_ID) throw notConfigured("The Instagram integration");
  const url = new URL(
    `${INSTAGRAM_GRAPH_URL.replace(/\/+$/, "")}/${encodeURIComponent(INSTAGRAM_BUSINESS_ACCOUNT_ID)}`,
  );
  url.searchParams.set("fields", `business_discovery.username(${username}){${FIELDS}}`);
  url.searchParams.set("access_token", INSTAGRAM_ACCESS_TOKEN);

  let res: Response;
  let body: unknown;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { Accept: "application/json" } });
    body = await res.json();
  } catch (err) {
    logger.warn({ err: String(err) }, "Instagram Graph API unreachable, timed out or not JSON");
    throw upstreamError("Instagram did not answer; try again later.");
  }
  if (res.ok) return body;
  const error = graphErrorReply.safeParse(body);
  if (
    error.success &&
    error.data.error.code === UNKNOWN_ACCOUNT.code &&
    error.data.error.error_subcode === UNKNOWN_ACCOUNT.subcode
  ) {
    throw notFound("Instagram business account");
  }
  // The access token is in the URL: never log the URL, only what went wrong.
  logger.warn({ status: res.status, error: error.success ? error.data.error : undefined }, "Instagram Graph API error");
  throw upstreamError("Instagram refused the request; try again later.");
}

// The username asked for, or the caller's own instagram_username; 400 when there is neither.
async function usernameOrOwn(deps: InstagramDeps, viewer: AuthUser, requested: string | undefined) {
  const username = requested ?? (await deps.users.getUser(viewer.id)).instagramUsername;
  if (!username) {
    throw validationError("Give a username, or set instagram_username on your profile first.", {
      username: ["required"],
    });
  }
  return username;
}

// A business or creator profile's public figures, as business discovery answers them now.
async function discoverProfile(deps: InstagramDeps, username: string): Promise<InstagramProfile> {
  const parsed = businessDiscoveryReply.safeParse(await callGraph(deps, username));
  if (!parsed.success) throw upstreamError("Instagram answered in an unexpected shape.");
  const d = parsed.data.business_discovery;
  return {
    username: d.username,
    followersCount: d.followers_count ?? null,
    followsCount: d.follows_count ?? null,
    mediaCount: d.media_count ?? null,
    biography: d.biography ?? null,
    profilePictureUrl: d.profile_picture_url ?? null,
    fetchedAt: deps.clock.now(),
  };
}

export type InstagramProfile = { username: string } & InstagramFigures;

export type InstagramSteps = {
  usernameOrOwn: (viewer: AuthUser, requested: string | undefined) => Promise<string>;
  discoverProfile: (username: string) => Promise<InstagramProfile>;
};

export function createInstagramService(deps: InstagramDeps) {
  const steps: InstagramSteps = {
    usernameOrOwn: (viewer, requested) => usernameOrOwn(deps, viewer, requested),
    discoverProfile: (username) => discoverProfile(deps, username),
  };
  return {
    fetchInstagramData: (viewer: AuthUser, requested: string | undefined) =>
      fetchInstagramData(deps, viewer, requested),
    ...createVerification(deps, steps),
  };
}

export type InstagramService = ReturnType<typeof createInstagramService>;

// The profile's figures as found now (also stored on the influencers using that username).
async function fetchInstagramData(
  deps: InstagramDeps,
  viewer: AuthUser,
  requested: string | undefined,
): Promise<InstagramProfile> {
  const username = await usernameOrOwn(deps, viewer, requested);
  // Graph API calls are rate limited per app: keep one user from spending the whole budget.
  await limit(deps.limits, "instagram-fetch", viewer.id);
  const { username: found, ...figures } = await discoverProfile(deps, username);
  await deps.users.storeInstagramFigures(username, figures);
  return { username: found, ...figures };
}
