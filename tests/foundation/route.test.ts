import express from "express";
import request from "supertest";
import { expect, it } from "vitest";
import { z } from "zod";
import { errorHandler } from "../../src/lib/error-handler.ts";
import { createRegistry } from "../../src/lib/openapi.ts";
import { createRouter } from "../../src/lib/route.ts";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp();

function appWith(result: unknown) {
  const { router, route } = createRouter(t.deps, createRegistry());
  route(
    {
      method: "get",
      path: "/thing/",
      summary: "a thing",
      tags: ["test"],
      access: "public",
      response: z.object({ name: z.string() }),
    },
    async () => result as { name: string },
  );
  return express().use(router).use(errorHandler(t.deps.logger));
}

it("strips fields the response schema does not list", async () => {
  const res = await request(appWith({ name: "ok", passwordHash: "secret" })).get("/thing");
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ name: "ok" });
});

it("answers 500 INTERNAL, not a client error, when a reply does not fit its schema", async () => {
  const res = await request(appWith({ name: 42 })).get("/thing/");
  expect(res.status).toBe(500);
  expect(res.body.error.code).toBe("INTERNAL");
  expect(JSON.stringify(res.body)).not.toMatch(/schema|name/);
});
