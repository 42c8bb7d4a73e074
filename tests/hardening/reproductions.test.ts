// Issue 10's reproductions, each as found by fuzzing the old code, on the database of the run (SQLite or
// PostgreSQL): none may answer a 5xx, each gets its 4xx with the error body, and nothing is written.
import jwt from "jsonwebtoken";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

type Operation = { method: string; path: string; jsonBody: boolean; multipart: boolean };

async function operations(): Promise<Operation[]> {
  const doc = (await request(t.app).get("/openapi.json")).body as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method,
      path,
      jsonBody: Boolean(op.requestBody?.content["application/json"]),
      multipart: Boolean(op.requestBody?.content["multipart/form-data"]),
    })),
  );
}

function call(method: string, url: string): request.Test {
  const agent = request(t.app) as unknown as Record<string, ((url: string) => request.Test) | undefined>;
  const send = agent[method];
  if (!send) throw new Error(`no method ${method}`);
  return send.call(agent, url);
}

function expectError(res: request.Response, status: number, code: string) {
  const got = { status: res.status, code: (res.body as { error?: { code?: string } }).error?.code };
  expect(got, res.text.slice(0, 200)).toEqual({ status, code });
}

describe("bad percent-encoding in a path parameter", () => {
  it("answers 400 VALIDATION_ERROR on every route with path parameters, without a token", async () => {
    const withParams = (await operations()).filter((o) => o.path.includes("{"));
    expect(withParams.length).toBeGreaterThanOrEqual(24);
    for (const bad of ["%zz", "%E0%A4%A", "%C3%28", "%FF"]) {
      for (const op of withParams) {
        const res = await call(op.method, op.path.replace(/\{\w+\}/g, bad));
        expectError(res, 400, "VALIDATION_ERROR");
      }
    }
  });
});

describe("Content-Encoding: gzip on a body that is not gzip", () => {
  it("answers 400 on every JSON route", async () => {
    const { auth } = await createUser(t.deps, { accountType: "brand" });
    const id = "00000000-0000-4000-8000-000000000000";
    for (const op of (await operations()).filter((o) => o.jsonBody)) {
      const res = await call(op.method, op.path.replace(/\{\w+\}/g, id))
        .set(auth)
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "gzip")
        .send('{"not": "gzip"}');
      expectError(res, 400, "VALIDATION_ERROR");
    }
  });
});

describe("malformed multipart on the upload routes", () => {
  const BOUNDARY = "----collabhub";
  const part = (name: string, value: string, filename?: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? "" : `; filename="${filename}"`}\r\n` +
    (filename === undefined ? "" : "Content-Type: image/png\r\n") +
    `\r\n${value}\r\n`;

  async function uploadRoutes() {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand);
    const routes = (await operations())
      .filter((o) => o.multipart)
      .map((o) => ({
        method: o.method,
        url: o.path.replace("{id}", campaign.id).replace("{email}", encodeURIComponent(brand.user.email)),
      }));
    return { brand, routes };
  }

  it("answers 4xx to a truncated body, a wrong boundary and a NUL in the file name", async () => {
    const { brand, routes } = await uploadRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(4);
    const bodies = [
      { type: `multipart/form-data; boundary=${BOUNDARY}`, body: part("title", "x").slice(0, 30) },
      { type: "multipart/form-data; boundary=nope", body: part("title", "x") + `--${BOUNDARY}--\r\n` },
      { type: "multipart/form-data", body: part("title", "x") + `--${BOUNDARY}--\r\n` },
      {
        type: `multipart/form-data; boundary=${BOUNDARY}`,
        body:
          part("image", "\x89PNG", "a\u0000.png") +
          part("profile_picture", "\x89PNG", "a\u0000.png") +
          `--${BOUNDARY}--\r\n`,
      },
    ];
    for (const route of routes) {
      for (const { type, body } of bodies) {
        const res = await call(route.method, route.url).set(brand.auth).set("Content-Type", type).send(body);
        expect(res.status, `${route.method} ${route.url} ${type}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.code).toBeTypeOf("string");
      }
    }
  });

  it("refuses 80 text fields of 1 MB with 413 and changes nothing", async () => {
    const me = await createUser(t.deps);
    const big = "a".repeat(1024 * 1024);
    let req = request(t.app)
      .put(`/apis/update-user/${encodeURIComponent(me.user.email)}/`)
      .set(me.auth);
    for (let i = 0; i < 80; i++) req = req.field(`f${i}`, big);
    const res = await req
      .field("first_name", "Changed")
      .catch((e: unknown) => (e as { response?: request.Response }).response);
    // The server may close the connection once it has refused; when an answer arrived it is the 413.
    if (res) expectError(res, 413, "PAYLOAD_TOO_LARGE");
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: me.user.id } });
    expect(row.firstName).toBe("Test");
  });
});

describe("values PostgreSQL cannot store (refused on both databases alike)", () => {
  it("refuses a NUL in a query, a body, a path parameter and the public payment callbacks", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps);
    const cases = [
      request(t.app).get("/apis/campaigns/?search=%00").set(influencer.auth),
      request(t.app) // a lone surrogate (JSON can escape one; UTF-8 cannot carry it)
        .post("/apis/create-campaign/")
        .set(brand.auth)
        .set("Content-Type", "application/json")
        .send('{"title":"a\\ud800","budget":"100","start_date":"2030-01-01","end_date":"2030-02-01"}'),
      request(t.app)
        .post("/apis/create-campaign/")
        .set(brand.auth)
        .send({ title: "Nul\u0000title", budget: "100", start_date: "2030-01-01", end_date: "2030-02-01" }),
      request(t.app).post("/apis/login/").send({ "e\u0000mail": "x", password: "y" }),
      request(t.app).get("/apis/pay/success/?session_id=%00"),
      request(t.app).get("/apis/pay/cancel/?session_id=%00"),
      request(t.app).get("/apis/user/%00/").set(influencer.auth),
    ];
    for (const res of await Promise.all(cases)) expectError(res, 400, "VALIDATION_ERROR");
    expect(await t.deps.db.campaign.count({ where: { brandId: brand.user.id } })).toBe(0);
  });

  it("refuses years outside 1900-9999 in dates and date-times", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    for (const [start, end] of [
      ["0000-01-01", "2030-01-01"],
      ["1899-12-31", "2030-01-01"],
      ["2030-01-01", "10000-01-01"],
    ]) {
      const res = await request(t.app)
        .post("/apis/create-campaign/")
        .set(brand.auth)
        .send({ title: "Dates", budget: "100", start_date: start, end_date: end });
      expectError(res, 400, "VALIDATION_ERROR");
    }
    const list = await request(t.app).get("/apis/campaigns/?start_date_from=0000-01-01").set(brand.auth);
    expectError(list, 400, "VALIDATION_ERROR");
    const messages = await request(t.app).get("/apis/messages/?before=0000-01-01T00:00:00Z").set(brand.auth);
    expectError(messages, 400, "VALIDATION_ERROR");
    expect(await t.deps.db.campaign.count({ where: { brandId: brand.user.id } })).toBe(0);
  });

  it("refuses money and counts above what the columns and Stripe hold", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const body = { title: "Big", start_date: "2030-01-01", end_date: "2030-02-01" };
    for (const budget of ["100000000.00", "999999999999", 1e12]) {
      const res = await request(t.app)
        .post("/apis/create-campaign/")
        .set(brand.auth)
        .send({ ...body, budget });
      expectError(res, 400, "VALIDATION_ERROR");
    }
    for (const query of ["budget_min=999999999999", "budget_max=100000000.00", "page=1e300", "page=99999999999"]) {
      const res = await request(t.app).get(`/apis/campaigns/?${query}`).set(brand.auth);
      expectError(res, 400, "VALIDATION_ERROR");
    }
    expect(await t.deps.db.campaign.count({ where: { brandId: brand.user.id } })).toBe(0);
  });
});

describe("public routes and a bad or expired token", () => {
  it("ignore it: login, register, refresh, logout, the webhook and the health checks do not answer 401", async () => {
    const { user } = await createUser(t.deps);
    const expired = jwt.sign({ role: "influencer", type: "access", ver: 0 }, t.deps.config.JWT_SECRET, {
      algorithm: "HS256",
      subject: user.id,
      expiresIn: -10,
    });
    for (const header of [`Bearer ${expired}`, "Bearer not-a-jwt"]) {
      const login = await request(t.app)
        .post("/apis/login/")
        .set("Authorization", header)
        .send({ email: user.email, password: PASSWORD });
      expect(login.status).toBe(200);
      const refresh = await request(t.app)
        .post("/apis/token/refresh/")
        .set("Authorization", header)
        .send({ refresh: login.body.refresh });
      expect(refresh.status).toBe(200);
      for (const path of ["/healthz", "/readyz"]) {
        expect((await request(t.app).get(path).set("Authorization", header)).status).toBe(200);
      }
      const others = [
        request(t.app).post("/apis/register-user/").set("Authorization", header).send({}),
        request(t.app).post("/apis/logout/").set("Authorization", header).send({ refresh: refresh.body.refresh }),
        request(t.app).post("/apis/stripe/webhook/").set("Authorization", header).send({}),
      ];
      for (const res of await Promise.all(others)) expect(res.status).not.toBe(401);
    }
  });
});

describe("a body of a type the route does not take", () => {
  it("answers 415 to text/plain and form-urlencoded on PUT, PATCH and POST, and changes nothing", async () => {
    const me = await createUser(t.deps);
    const url = `/apis/update-user/${encodeURIComponent(me.user.email)}/`;
    for (const method of ["put", "patch"]) {
      for (const [type, body] of [
        ["text/plain", '{"first_name":"Changed"}'],
        ["application/x-www-form-urlencoded", "first_name=Changed"],
      ] as const) {
        const res = await call(method, url).set(me.auth).set("Content-Type", type).send(body);
        expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      }
    }
    const post = await request(t.app).post("/apis/login/").set("Content-Type", "text/plain").send("email=x");
    expectError(post, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: me.user.id } })).firstName).toBe("Test");
  });

  it("still takes an empty POST without a content type", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand);
    const res = await request(t.app).post(`/apis/campaigns/${campaign.id}/close/`).set(brand.auth);
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(415);
  });
});
