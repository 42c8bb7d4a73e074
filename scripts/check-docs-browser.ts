// The docs page in a real browser: Debian's Chromium (never a browser downloaded from npm), driven headless by
// playwright-core. Starts the real server on a throwaway SQLite database, then for http://localhost and for
// http://docs.test (mapped to 127.0.0.1 by Chromium itself, no /etc/hosts): opens /docs/, checks every operation of
// the OpenAPI document is listed, runs "Try it out" on GET /healthz and fails on any console error, page error,
// failed or refused request, or Content-Security-Policy violation. Exit code 0 when both pass.
//   npm run check:docs        (CHROMIUM=/path/to/chromium to use another binary)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { loadConfig } from "../src/config.ts";
import { migrateDeploy } from "../src/db/migrate.ts";
import { createDeps } from "../src/lib/deps.ts";
import { startServer } from "../src/server.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OTHER_HOST = "docs.test";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--host-resolver-rules=MAP ${OTHER_HOST} 127.0.0.1`,
];
const TIMEOUT_MS = 20_000;

type OpenApi = { paths: Record<string, Record<string, unknown>> };

// Records every problem into `problems` as it happens, so a check that times out still tells what went wrong.
async function checkOrigin(page: Page, origin: string, operations: number, problems: string[]): Promise<void> {
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? "?"})`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${String(res.status())}: ${res.url()}`);
  });
  // Runs in the page (a string: this file is type-checked without the DOM library).
  await page.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (e) =>
      console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI));`,
  });

  await page.goto(`${origin}/docs/`, { waitUntil: "load" });
  await page.locator(".opblock").first().waitFor({ timeout: TIMEOUT_MS });
  const listed = await page.locator(".opblock").count();
  if (listed !== operations)
    problems.push(`the page lists ${String(listed)} operations, the document has ${String(operations)}`);

  const healthz = page.locator(".opblock-get", { has: page.locator('[data-path="/healthz"]') });
  await healthz.locator(".opblock-summary").click();
  await healthz.getByRole("button", { name: "Try it out" }).click();
  await healthz.getByRole("button", { name: "Execute" }).click();
  const status = healthz.locator(".live-responses-table tr.response .response-col_status").first();
  await status.waitFor({ timeout: TIMEOUT_MS });
  const code = (await status.innerText()).trim();
  const body = await healthz
    .locator(".live-responses-table tr.response .response-col_description pre")
    .first()
    .innerText();
  if (code !== "200") problems.push(`Try it out on GET /healthz answered ${code}`);
  if (!/"status":\s*"ok"/.test(body)) problems.push(`Try it out on GET /healthz showed ${body}`);
}

async function main(): Promise<number> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
    return 1;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-docs-check-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: `file:${path.join(dir, "docs.db")}`,
    JWT_SECRET: "docs-check-secret-docs-check-secret-0123",
    LOG_LEVEL: "warn",
    DATA_DIR: path.join(dir, "data"),
    UPLOAD_DIR: path.join(dir, "uploads"),
  });
  await migrateDeploy(config.DATABASE_URL);
  const running = await startServer(await createDeps(config), 0);
  const userDataDir = fs.mkdtempSync(path.join(dir, "profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  let failed = 0;
  try {
    const document = (await (await fetch(`http://127.0.0.1:${String(running.port)}/openapi.json`)).json()) as OpenApi;
    const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    for (const host of ["localhost", OTHER_HOST]) {
      const origin = `http://${host}:${String(running.port)}`;
      const page = await context.newPage();
      const problems: string[] = [];
      await checkOrigin(page, origin, operations, problems).catch((err: unknown) => {
        problems.push(
          `check did not finish: ${err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err)}`,
        );
      });
      await page.close();
      if (problems.length) {
        failed++;
        console.error(`FAIL ${origin}/docs/`);
        for (const p of problems) console.error(`  ${p}`);
      } else {
        console.log(
          `ok   ${origin}/docs/: ${String(operations)} operations listed, Try it out on /healthz answered 200`,
        );
      }
    }
  } finally {
    await context.close();
    await running.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${String(2 - failed)} passed, ${String(failed)} failed`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
