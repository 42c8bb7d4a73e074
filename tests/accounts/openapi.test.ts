import request from "supertest";
import { expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp();

it("documents every accounts route with its request and response schemas", async () => {
  const { body } = await request(t.app).get("/openapi.json").expect(200);
  const routes: [string, string, { body?: boolean }][] = [
    ["post", "/apis/register-user/", { body: true }],
    ["post", "/apis/verify-otp/", { body: true }],
    ["post", "/apis/resend-otp/", { body: true }],
    ["post", "/apis/login/", { body: true }],
    ["post", "/apis/token/refresh/", { body: true }],
    ["post", "/apis/logout/", { body: true }],
    ["get", "/apis/user-profile/", {}],
    ["put", "/apis/user-profile/picture/", {}],
    ["get", "/apis/users/", {}],
    ["get", "/apis/user/{id}/", {}],
    ["put", "/apis/update-user/{email}/", { body: true }],
    ["patch", "/apis/update-user/{email}/", { body: true }],
    ["delete", "/apis/delete-user/{email}/", {}],
    ["post", "/apis/fetch-instagram-data/", { body: true }],
    ["post", "/apis/password-reset/", { body: true }],
    ["post", "/apis/password-reset/confirm/", { body: true }],
    ["post", "/apis/email-change/", { body: true }],
    ["post", "/apis/email-change/confirm/", { body: true }],
    ["post", "/apis/instagram/verify/", { body: true }],
    ["post", "/apis/instagram/verify/check/", {}],
  ];
  for (const [method, path, opts] of routes) {
    const op = body.paths[path]?.[method];
    expect(op, `${method} ${path}`).toBeDefined();
    if (opts.body) expect(op.requestBody.content["application/json"].schema, `${method} ${path} body`).toBeDefined();
    const success = Object.keys(op.responses).find((s) => s.startsWith("2"));
    expect(success, `${method} ${path} success`).toBeDefined();
  }
  expect(body.paths["/apis/update-user/{email}/"].put.requestBody.content["multipart/form-data"]).toBeDefined();
  expect(body.components.schemas.User.properties).toHaveProperty("email");
  expect(body.components.schemas.PublicUser.properties).not.toHaveProperty("email");
  expect(JSON.stringify(body.components.schemas.Register)).toContain("influencer");
  expect(body.components.schemas.VerifyOtp.properties).toHaveProperty("otp");
  expect(body.components.schemas.PublicUser.properties).toHaveProperty("is_deleted");
  expect(body.components.schemas.PublicUser.properties).toHaveProperty("instagram_verified");
  expect(body.paths["/apis/users/"].get.parameters.map((p: { name: string }) => p.name)).toContain("min_followers");
});
