import fs from "node:fs";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createCollabHubClient } from "../../clients/typescript/src/index.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const server = useTestApp({ listen: true });

describe("the typed client in clients/typescript", () => {
  it("was generated from this build's OpenAPI document (run npm run client:generate when this fails)", async () => {
    const live = await request(server.url).get("/openapi.json");
    const checkedIn: unknown = JSON.parse(fs.readFileSync("clients/typescript/openapi.json", "utf8"));
    expect(checkedIn).toEqual(live.body);
  });

  it("calls the real server: a public route, an authenticated one, and an error body", async () => {
    const brand = await createUser(server.deps, { accountType: "brand" });
    const api = createCollabHubClient(server.url, { token: () => brand.token });
    const health = await api.GET("/healthz");
    expect(health.data).toEqual({ status: "ok" });

    const created = await api.POST("/apis/create-campaign/", {
      body: {
        title: "Typed launch",
        description: "Made through the generated client",
        budget: "1200.00",
        start_date: "2030-01-01",
        end_date: "2030-02-01",
      },
    });
    expect(created.response.status).toBe(201);
    const id = created.data?.id ?? "";
    const read = await api.GET("/apis/campaigns/{id}/", { params: { path: { id } } });
    expect(read.data).toMatchObject({ id, title: "Typed launch", budget: "1200.00" });

    const anonymous = createCollabHubClient(server.url);
    const refused = await anonymous.GET("/apis/payments/");
    expect(refused.response.status).toBe(401);
    expect(refused.error?.error.code).toBe("UNAUTHENTICATED");
  });
});
