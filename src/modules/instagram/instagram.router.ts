import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { createRouter } from "../../lib/route.ts";
import { privateUserSchema, toPrivateUser } from "../users/index.ts";
import {
  fetchInstagramBody,
  instagramProfileResponse,
  toInstagramProfileResponse,
  toVerificationCodeResponse,
  verificationCodeResponse,
  verifyInstagramBody,
} from "./instagram.schemas.ts";
import type { InstagramService } from "./instagram.service.ts";

const tags = ["instagram"];

export function instagramRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { instagram }: { instagram: InstagramService },
) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "post",
      path: "/apis/fetch-instagram-data/",
      summary: "Fetch an Instagram business profile's public figures (and store them on the influencers using it)",
      description:
        "503 INTEGRATION_NOT_CONFIGURED without Instagram credentials, 502 when Instagram fails, 404 for an unknown account.",
      tags,
      access: "user",
      body: fetchInstagramBody,
      response: instagramProfileResponse,
    },
    async ({ user, body }) => toInstagramProfileResponse(await instagram.fetchInstagramData(user, body.username)),
  );

  route(
    {
      method: "post",
      path: "/apis/instagram/verify/",
      summary: "Start proving an Instagram handle is yours: a code to put in its biography (1 hour)",
      description:
        "Default handle: your instagram_username. A new code replaces the previous one. Until the handle is " +
        "verified, its figures are shown to you only and it does not count in discovery filters.",
      tags,
      access: "user",
      roles: ["influencer"],
      body: verifyInstagramBody,
      response: verificationCodeResponse,
    },
    async ({ user, body }) => toVerificationCodeResponse(await instagram.startVerification(user, body.username)),
  );

  route(
    {
      method: "post",
      path: "/apis/instagram/verify/check/",
      summary: "Check the biography for the code (business discovery); verified -> figures shown publicly",
      description:
        "409 INVALID_STATE when the biography does not hold the current code, or no code was asked for; 502 / 503 " +
        "as for fetch-instagram-data. On success the handle becomes your instagram_username, verified.",
      tags,
      access: "user",
      roles: ["influencer"],
      response: privateUserSchema,
    },
    async ({ user }) => toPrivateUser(deps.config, await instagram.checkVerification(user)),
  );

  return router;
}
