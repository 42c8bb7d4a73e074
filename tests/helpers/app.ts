// The real app on a fresh database. A test file calls useTestApp() once at its top: it registers the beforeAll that
// builds the app (and, with `listen`, a real server with Socket.IO on port 0) and the afterAll that closes it.
// Only the outside world may be replaced (overrides).
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { buildApp } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { createDb } from "../../src/db/client.ts";
import { createDeps, type AppDeps } from "../../src/lib/deps.ts";
import { closeRedis } from "../../src/lib/redis.ts";
import { startServer, type RunningServer } from "../../src/server.ts";
import { createServices, type Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

// `app` is what supertest is given: the Express app, or with `listen` the listening server.
export type TestApp = {
  app: ReturnType<typeof buildApp> | http.Server;
  deps: AppDeps;
  services: Services;
  close(): Promise<void>;
};
export type TestServer = { deps: AppDeps; running: RunningServer; url: string; close(): Promise<void> };

export function testConfig(env: Record<string, string> = {}): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-files-"));
  return loadConfig({
    NODE_ENV: "test",
    JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    BCRYPT_COST: "4",
    LOG_LEVEL: "silent",
    // Tests block the event loop on purpose (migrations, bcrypt, fuzzing) on loaded machines and race many requests
    // at once: the shedding is off, except in the overload test that checks it.
    MAX_EVENT_LOOP_LAG_MS: "0",
    MAX_CONCURRENT_REQUESTS: "0",
    UPLOAD_DIR: path.join(dir, "uploads"),
    DATA_DIR: path.join(dir, "data"),
    ...env,
  });
}

async function appOn(
  database: TestDatabase | undefined,
  url: string,
  env: Record<string, string>,
  overrides: Partial<AppDeps>,
): Promise<TestApp> {
  const deps = await createDeps(testConfig({ DATABASE_URL: url, ...env }), overrides);
  const services = createServices(deps);
  return {
    app: buildApp(deps, services),
    deps,
    services,
    close: async () => {
      deps.availability.close();
      await deps.db.$disconnect();
      await closeRedis(deps.redis);
      await database?.drop();
    },
  };
}

// A second app, on a fresh database of its own, for a test that needs another configuration than its file's
// useTestApp() (no Stripe or Instagram credentials, tight rate limits, a tiny upload limit, a logger to read).
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  return appOn(database, database.url, env, overrides);
}

// An app whose database does not answer (nothing listens on its port), for what an outage answers and logs. Its
// client is made directly, as createDeps would otherwise try to reach the database. close() ends that client.
export async function unreachableDatabaseApp(env: Record<string, string> = {}, overrides: Partial<AppDeps> = {}) {
  const config = testConfig({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere", ...env });
  const deps = await createDeps(config, { db: createDb(config.DATABASE_URL), ...overrides });
  return { app: buildApp(deps), close: () => deps.db.$disconnect() };
}

// A real server (startServer on port 0) on its own deps over an existing database: several servers may share one,
// as instances behind a load balancer do. close() closes its database client and Redis too.
async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
): Promise<TestServer> {
  const deps = await createDeps(testConfig({ DATABASE_URL: databaseUrl, ...env }), overrides);
  const running = await startServer(deps, 0);
  return { deps, running, url: `http://127.0.0.1:${running.port}`, close: () => running.close() };
}

// Reads a value that beforeAll sets, failing clearly when a test body runs too early.
function late<T>(what: string) {
  let value: T | undefined;
  return {
    set: (v: T) => (value = v),
    get: (): T => {
      if (value === undefined) throw new Error(`${what} is only ready once beforeAll has run`);
      return value;
    },
  };
}

// A fresh, migrated (unless `migrate: false`) database for this file, dropped after it.
export function useTestDatabase(options: { migrate?: boolean } = {}): TestDatabase {
  const database = late<TestDatabase>("useTestDatabase()");
  beforeAll(async () => {
    database.set(await createTestDatabase(options));
  });
  afterAll(() => database.get().drop());
  return {
    get url() {
      return database.get().url;
    },
    drop: () => database.get().drop(),
  };
}

// An outside-world fake (SMTP, Stripe, Instagram) for this file, started before the app and closed after it: call it
// before useTestApp, and hand its address to the app with `env: () => ({ SMTP_URL: smtp().url })`.
export function useFake<T extends { close(): Promise<void> }>(start: () => Promise<T>): () => T {
  const fake = late<T>("useFake()");
  beforeAll(async () => {
    fake.set(await start());
  });
  afterAll(() => fake.get().close());
  return fake.get;
}

type Env = Record<string, string>;
// `env` as a function is read once the fakes above have started.
export type UseTestAppOptions = { env?: Env | (() => Env); overrides?: Partial<AppDeps>; listen?: boolean };

export type UsedTestApp = TestApp & {
  database: TestDatabase;
  // With `listen`: the server this file talks to over HTTP and Socket.IO.
  url: string;
  running: RunningServer;
  // Another server on this file's database (closed after the file, or earlier by the test).
  startInstance(env?: Record<string, string>, overrides?: Partial<AppDeps>): Promise<TestServer>;
};

export function useTestApp({ env: given = {}, overrides = {}, listen = false }: UseTestAppOptions = {}): UsedTestApp {
  const env = () => (typeof given === "function" ? given() : given);
  const database = useTestDatabase();
  const app = late<Omit<UsedTestApp, "database" | "url" | "running" | "startInstance">>("useTestApp()");
  const server = late<TestServer>("useTestApp({ listen: true })");
  const instances: TestServer[] = [];
  const startInstance = async (more: Record<string, string> = {}, extra: Partial<AppDeps> = {}) => {
    const instance = await startTestServer(database.url, { ...env(), ...more }, { ...overrides, ...extra });
    instances.push(instance);
    return instance;
  };

  beforeAll(async () => {
    if (!listen) {
      app.set(await appOn(undefined, database.url, env(), overrides));
      return;
    }
    const s = await startInstance();
    server.set(s);
    app.set({ app: s.running.server, deps: s.deps, services: s.running.services, close: s.close });
  });
  // Registered after useTestDatabase's afterAll, so it runs first (vitest runs afterAll hooks in reverse order).
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close())); // close() is idempotent: a test may have closed one already
    if (!listen) await app.get().close();
  });

  return {
    database,
    get app() {
      return app.get().app;
    },
    get deps() {
      return app.get().deps;
    },
    get services() {
      return app.get().services;
    },
    get url() {
      return server.get().url;
    },
    get running() {
      return server.get().running;
    },
    close: () => app.get().close(),
    startInstance,
  };
}
