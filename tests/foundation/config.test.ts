import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { startMain } from "../helpers/process.ts";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-config-"));

describe("configuration", () => {
  it("has working defaults with no environment at all", () => {
    const config = loadConfig({ DATA_DIR: tmp() });
    expect(config.PORT).toBe(8000);
    expect(config.DATABASE_URL).toBe("file:./data/collabhub.db");
    expect(config.JWT_ACCESS_TTL).toBe(3600);
    expect(config.JWT_REFRESH_TTL).toBe(86400);
    expect(config.BCRYPT_COST).toBe(12);
    expect(config.MAX_UPLOAD_BYTES).toBe(5 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("derives the CORS origins and the database dialect once", () => {
    const defaults = loadConfig({ DATA_DIR: tmp(), FRONTEND_URL: "https://app.example.com" });
    expect(defaults.CORS_ORIGINS).toEqual(["https://app.example.com"]);
    expect(defaults.DATABASE_DIALECT).toBe("sqlite");
    const set = loadConfig({
      DATA_DIR: tmp(),
      CORS_ORIGINS: " https://a.example.com, https://b.example.com ,",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x",
    });
    expect(set.CORS_ORIGINS).toEqual(["https://a.example.com", "https://b.example.com"]);
    expect(set.DATABASE_DIALECT).toBe("postgresql");
  });

  it("keeps one development JWT secret across restarts", () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir }).JWT_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).JWT_SECRET).toBe(first);
  });

  it("requires JWT_SECRET in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", DATA_DIR: tmp() })).toThrow(/JWT_SECRET/);
  });

  it("names each invalid variable", () => {
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", JWT_ACCESS_TTL: "soon", DATA_DIR: tmp() });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/DATABASE_URL/);
      expect((e as Error).message).toMatch(/JWT_ACCESS_TTL/);
    }
  });

  it("makes the server exit 1 with one clear message and no stack trace", async () => {
    const child = startMain({ PORT: "eighty", DATA_DIR: tmp() });
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/invalid configuration:\s+PORT:/);
    expect(child.output()).not.toMatch(/\n\s+at /);
  });
});
