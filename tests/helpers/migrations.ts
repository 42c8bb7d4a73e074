// For testing a migration's backfill: a copy of the migrations folder holding only the migrations before the one
// named `*_<name>`, to migrate a test database up to just before it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { dialectOf } from "../../src/db/dialect.ts";
import { migrationsDir } from "../../src/db/migrate.ts";

export function migrationsBefore(url: string, name: string): { dir: string; remove(): void } {
  const source = migrationsDir(dialectOf(url));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-migrations-"));
  fs.copyFileSync(path.join(source, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
  const names = fs
    .readdirSync(source, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (!names.some((n) => n.endsWith(`_${name}`))) throw new Error(`no migration named ${name}`);
  for (const n of names) {
    if (n.endsWith(`_${name}`)) break;
    fs.cpSync(path.join(source, n), path.join(dir, n), { recursive: true });
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
