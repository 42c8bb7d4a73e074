import request from "supertest";
import { expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp();

it("describes every message and notification route in the OpenAPI document", async () => {
  const res = await request(t.app).get("/openapi.json");
  const paths: Record<string, Record<string, unknown>> = res.body.paths;
  const expected: [string, string[]][] = [
    ["/apis/messages/", ["get", "post"]],
    ["/apis/messages/recent/", ["get"]],
    ["/apis/messages/contacts/", ["get"]],
    ["/apis/messages/{user_id}/read/", ["put"]],
    ["/apis/notifications/", ["get"]],
    ["/apis/notifications/read-all/", ["put"]],
    ["/apis/update-notification/{id}/", ["put", "patch"]],
    ["/apis/delete-notification/{id}/", ["delete"]],
    ["/apis/create-notification/", ["post"]],
  ];
  for (const [path, methods] of expected) {
    expect(Object.keys(paths[path] ?? {}).sort()).toEqual([...methods].sort());
  }
});
