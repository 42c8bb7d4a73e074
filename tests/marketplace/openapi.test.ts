import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp();

type Operation = {
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: unknown }>;
};

describe("the OpenAPI document", () => {
  it("lists every marketplace route with its request body and response schema", async () => {
    const doc = (await request(t.app).get("/openapi.json")).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const routes: [string, string, boolean, number][] = [
      ["/apis/create-campaign/", "post", true, 201],
      ["/apis/campaign/", "get", false, 200],
      ["/apis/campaigns/", "get", false, 200],
      ["/apis/completed-campaigns/", "get", false, 200],
      ["/apis/campaigns/{id}/", "get", false, 200],
      ["/apis/update-campaign/{id}/", "put", true, 200],
      ["/apis/update-campaign/{id}/", "patch", true, 200],
      ["/apis/delete-campaign/{id}/", "delete", false, 204],
      ["/apis/campaigns/{id}/close/", "post", false, 200],
      ["/apis/bids/create/", "post", true, 201],
      ["/apis/bids/", "get", false, 200],
      ["/apis/bids/list/{campaign_id}/", "get", false, 200],
      ["/apis/bids/update/{id}/", "put", true, 200],
      ["/apis/bids/update/{id}/", "patch", true, 200],
      ["/apis/bids/{id}/", "delete", false, 204],
      ["/apis/bids/deliver/{id}/", "post", true, 200],
      ["/apis/bids/{id}/approve/", "post", false, 200],
      ["/apis/bids/{id}/request-revision/", "post", true, 200],
      ["/apis/create-analytics/", "post", true, 201],
      ["/apis/analytics/", "get", false, 200],
      ["/apis/update-analytics/{id}/", "put", true, 200],
      ["/apis/delete-analytics/{id}/", "delete", false, 204],
      ["/apis/brand-data/", "get", false, 200],
    ];
    for (const [path, method, hasBody, status] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      if (hasBody) expect(op?.requestBody?.content["application/json"], `${method} ${path} body`).toBeDefined();
      if (status !== 204) expect(op?.responses[String(status)]?.content, `${method} ${path} response`).toBeDefined();
    }
    expect(doc.paths["/apis/create-campaign/"]?.post?.requestBody?.content["multipart/form-data"]).toBeDefined();
  });
});
