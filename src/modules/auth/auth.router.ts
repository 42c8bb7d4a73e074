import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Request } from "express";
import type { AppDeps } from "../../lib/deps.ts";
import { createRouter } from "../../lib/route.ts";
import { privateUserSchema } from "../users/index.ts";
import {
  emailBody,
  loginBody,
  loginResponse,
  detailResponse,
  refreshBody,
  registerBody,
  tokenPairResponse,
  verifyOtpBody,
  verifyResponse,
} from "./auth.schemas.ts";
import * as auth from "./auth.service.ts";

const tags = ["auth"];
// req.ip honours TRUST_PROXY, so behind a load balancer each client is limited on its own address.
const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

export function authRouter(deps: AppDeps, registry: OpenAPIRegistry) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "post",
      path: "/apis/register-user/",
      summary: "Register a brand or influencer; a verification code is emailed",
      tags,
      access: "public",
      body: registerBody,
      status: 201,
      response: privateUserSchema,
    },
    ({ body, req }) => auth.register(deps, body, clientIp(req)),
  );

  route(
    {
      method: "post",
      path: "/apis/verify-otp/",
      summary: "Verify the email address with the emailed 6-digit code",
      tags,
      access: "public",
      body: verifyOtpBody,
      response: verifyResponse,
    },
    ({ body, req }) => auth.verifyEmail(deps, body, clientIp(req)),
  );

  route(
    {
      method: "post",
      path: "/apis/resend-otp/",
      summary: "Email a new verification code (at most one a minute)",
      description: "The answer is the same whether or not the email is registered.",
      tags,
      access: "public",
      body: emailBody,
      response: detailResponse,
    },
    ({ body, req }) => auth.resendOtp(deps, body.email, clientIp(req)),
  );

  route(
    {
      method: "post",
      path: "/apis/login/",
      summary: "Log in with email and password: access and refresh tokens",
      tags,
      access: "public",
      body: loginBody,
      response: loginResponse,
    },
    ({ body, req }) => auth.login(deps, body, clientIp(req)),
  );

  route(
    {
      method: "post",
      path: "/apis/token/refresh/",
      summary: "Exchange a refresh token for a new access and refresh token (rotation)",
      description:
        "The presented refresh token is used up. Presenting a used one revokes every token of its login session.",
      tags,
      access: "public",
      body: refreshBody,
      response: tokenPairResponse,
    },
    ({ body }) => auth.refresh(deps, body.refresh),
  );

  route(
    {
      method: "post",
      path: "/apis/logout/",
      summary: "Revoke the refresh token's login session",
      tags,
      access: "public",
      body: refreshBody,
      response: detailResponse,
    },
    ({ body }) => auth.logout(deps, body.refresh),
  );

  return router;
}
