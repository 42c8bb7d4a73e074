import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Request } from "express";
import type { AppDeps } from "../../lib/deps.ts";
import { createRouter } from "../../lib/route.ts";
import { privateUserSchema, toPrivateUser } from "../users/index.ts";
import {
  emailBody,
  emailChangeBody,
  emailChangeConfirmBody,
  emailChangeResponse,
  passwordResetBody,
  passwordResetConfirmBody,
  loginBody,
  loginResponse,
  detailResponse,
  DETAIL,
  refreshBody,
  registerBody,
  tokenPairResponse,
  verifyOtpBody,
  verifyResponse,
  toEmailChangePending,
} from "./auth.schemas.ts";
import type { AuthService } from "./auth.service.ts";

const tags = ["auth"];
// req.ip honours TRUST_PROXY, so behind a load balancer each client is limited on its own address.
const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

export function authRouter(deps: AppDeps, registry: OpenAPIRegistry, { auth }: { auth: AuthService }) {
  const { router, route } = createRouter(deps, registry);
  const { config } = deps;

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
    async ({ body, req }) => toPrivateUser(config, await auth.register(body, clientIp(req))),
  );

  route(
    {
      method: "post",
      path: "/apis/verify-otp/",
      summary: "Verify the email address with the emailed 6-digit code (as code or otp)",
      description:
        "An unknown email, an account already verified and a wrong code get the same 400 answer, byte for byte.",
      tags,
      access: "public",
      body: verifyOtpBody,
      response: verifyResponse,
    },
    async ({ body, req }) => {
      const user = await auth.verifyEmail(body, clientIp(req));
      return { detail: DETAIL.verified, user: toPrivateUser(config, user) };
    },
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
    async ({ body, req }) => {
      await auth.resendOtp(body.email, clientIp(req));
      return { detail: DETAIL.codeResent };
    },
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
    async ({ body, req }) => {
      const { user, ...tokens } = await auth.login(body, clientIp(req));
      return { ...tokens, user: toPrivateUser(config, user) };
    },
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
    ({ body }) => auth.refresh(body.refresh),
  );

  route(
    {
      method: "post",
      path: "/apis/logout/",
      summary: "Log out: every session of the account ends",
      description:
        "Every access and refresh token of the account stops working at once and its sockets close, on every " +
        "instance (access tokens carry the account's token version, not a session of their own).",
      tags,
      access: "public",
      body: refreshBody,
      response: detailResponse,
    },
    async ({ body }) => {
      await auth.logout(body.refresh);
      return { detail: DETAIL.loggedOut };
    },
  );

  route(
    {
      method: "post",
      path: "/apis/password-reset/",
      summary: "Email a 6-digit code to reset the password",
      description:
        "The answer is the same, and as fast, whether or not the email is registered. The code lives 10 minutes " +
        "and allows 5 wrong tries.",
      tags,
      access: "public",
      body: passwordResetBody,
      response: detailResponse,
    },
    async ({ body, req }) => {
      await auth.requestPasswordReset(body.email, clientIp(req));
      return { detail: DETAIL.resetAsked };
    },
  );

  route(
    {
      method: "post",
      path: "/apis/password-reset/confirm/",
      summary: "Set a new password with the emailed code; every session of the account ends",
      tags,
      access: "public",
      body: passwordResetConfirmBody,
      response: detailResponse,
    },
    async ({ body, req }) => {
      await auth.confirmPasswordReset(body, clientIp(req));
      return { detail: DETAIL.passwordReset };
    },
  );

  route(
    {
      method: "post",
      path: "/apis/email-change/",
      summary: "Start changing the email address: a code is mailed to the new one",
      description: "Needs current_password. The address changes only once the code is entered (email-change/confirm).",
      tags,
      access: "user",
      body: emailChangeBody,
      response: emailChangeResponse,
    },
    async ({ user, body }) => toEmailChangePending(await auth.requestEmailChange(user, body)),
  );

  route(
    {
      method: "post",
      path: "/apis/email-change/confirm/",
      summary: "Confirm the new email address with the code mailed to it",
      description: "The old address is told of the change. 409 if the new address was registered meanwhile.",
      tags,
      access: "user",
      body: emailChangeConfirmBody,
      response: privateUserSchema,
    },
    async ({ user, body }) => toPrivateUser(config, await auth.confirmEmailChange(user, body.code)),
  );

  return router;
}
