// Small helpers for the accounts tests: a registration body like the README's, with unique email and username.
import crypto from "node:crypto";
import request from "supertest";
import type { TestApp } from "./app.ts";

export function registration(overrides: Record<string, unknown> = {}) {
  const tag = crypto.randomBytes(4).toString("hex");
  return {
    email: `user-${tag}@example.com`,
    username: `user_${tag}`,
    first_name: "John",
    last_name: "Doe",
    password: "secure_password",
    phone_number: "+1234567890",
    account_type: "brand",
    ...overrides,
  };
}

export async function loginAs(t: TestApp, email: string, password: string) {
  const res = await request(t.app).post("/apis/login/").send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { access: string; refresh: string; user: { id: string } };
}

// A response's exact bytes with its request id (which differs on every request) blanked out.
export const bytesApartFromRequestId = (res: { text: string; headers: Record<string, string> }) =>
  res.text.split(res.headers["x-request-id"] ?? "\u0000").join("<request-id>");
