import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp();

const directives = (csp: string | undefined) =>
  new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name = "", ...values]) => [name, values]),
  );

describe("the docs page's Content-Security-Policy", () => {
  it("does not tell the browser to upgrade to HTTPS, which blanks the page over plain HTTP on any other host", async () => {
    for (const path of ["/docs/", "/docs/swagger-ui-init.js"]) {
      const res = await request(t.app).get(path).set("Host", "docs.test:8000");
      expect(res.status).toBe(200);
      const csp = directives(res.headers["content-security-policy"]);
      expect([...csp.keys()]).not.toContain("upgrade-insecure-requests");
      expect(csp.get("script-src")).toEqual(["'self'"]);
      expect(csp.get("connect-src")).toEqual(["'self'"]);
      expect(csp.get("img-src")).toEqual(["'self'", "data:"]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    }
  });

  it("keeps helmet's strict policy on the API itself", async () => {
    const res = await request(t.app).get("/healthz");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
  });
});
