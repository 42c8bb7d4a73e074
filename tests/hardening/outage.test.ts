// A database outage under a running server, on a PostgreSQL cluster of this test's own (the shared one is never
// stopped): while it is down every request answers 503 SERVICE_UNAVAILABLE with Retry-After (/readyz too, whatever
// the headers), the outage is logged once and its end once, the server serves again within 2 s of the database
// returning, and every write it acknowledged is in the database.
import { setTimeout as sleep } from "node:timers/promises";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.ts";
import { migrateDeploy } from "../../src/db/migrate.ts";
import { createDeps, type AppDeps } from "../../src/lib/deps.ts";
import { testConfig } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { startPrivatePg, type PrivatePg } from "../helpers/hardening-private-pg.ts";
import { captureLogs } from "../helpers/ops-log-capture.ts";

let pg: PrivatePg;
let deps: AppDeps;
let app: ReturnType<typeof buildApp>;
const logs = captureLogs("json", "info");

beforeAll(async () => {
  pg = await startPrivatePg();
  await migrateDeploy(pg.url);
  deps = await createDeps(testConfig({ DATABASE_URL: pg.url }), { logger: logs.logger });
  app = buildApp(deps);
}, 60_000);

afterAll(async () => {
  deps.availability.close();
  await deps.db.$disconnect();
  pg.destroy();
});

const campaign = (n: number) => ({
  title: `Outage ${n}`,
  budget: "100",
  start_date: "2030-01-01",
  end_date: "2030-02-01",
});

describe("PostgreSQL stopped under a running server", () => {
  it("answers only 503 while it is down, recovers within 2 s, loses no acknowledged write", async () => {
    const brand = await createUser(deps, { accountType: "brand" });
    const acknowledged: string[] = [];
    const write = async (n: number) => {
      const res = await request(app).post("/apis/create-campaign/").set(brand.auth).send(campaign(n));
      if (res.status === 201) acknowledged.push(res.body.id as string);
      return res;
    };
    for (let n = 0; n < 5; n++) expect((await write(n)).status).toBe(201);
    logs.clear();

    pg.stop();
    const during: request.Response[] = [];
    const until = Date.now() + 2_000;
    for (let n = 100; Date.now() < until; n++) {
      during.push(
        ...(await Promise.all([
          write(n),
          request(app).get("/apis/campaigns/").set(brand.auth),
          request(app).get("/readyz"),
          request(app).get("/readyz").set(brand.auth),
          request(app).get("/apis/user-profile/").set(brand.auth),
        ])),
      );
    }
    during.push(await request(app).post("/apis/login/").send({ email: brand.user.email, password: "x-y-z-w" }));
    expect(during.length).toBeGreaterThan(20);
    for (const res of during) {
      expect(res.status, res.text.slice(0, 200)).toBe(503);
      expect(res.headers["retry-after"]).toMatch(/^\d+$/);
      expect(res.body.error.code).toBe("SERVICE_UNAVAILABLE");
    }
    expect((await request(app).get("/healthz")).status).toBe(200); // the process itself is fine

    pg.start();
    const back = Date.now();
    let status = 0;
    while (status !== 200 && Date.now() - back < 5_000) {
      status = (await request(app).get("/apis/campaigns/").set(brand.auth)).status;
      if (status !== 200) await sleep(50);
    }
    expect(status).toBe(200);
    expect(Date.now() - back).toBeLessThan(2_000);
    expect((await write(999)).status).toBe(201);
    await sleep(1_200); // the availability probe notices too and logs the end of the outage

    const rows = await deps.db.campaign.findMany({ where: { id: { in: acknowledged } }, select: { id: true } });
    expect(rows.length).toBe(acknowledged.length);
    const lines = logs.lines().map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(lines.filter((l) => l.msg === "database unavailable")).toHaveLength(1);
    expect(lines.filter((l) => l.msg === "database available again")).toHaveLength(1);
    expect(lines.filter((l) => l.msg === "unhandled error")).toHaveLength(0);
    // No stack per failed request: the whole outage logs little.
    expect(logs.bytes()).toBeLessThan(during.length * 600);
  }, 60_000);
});
