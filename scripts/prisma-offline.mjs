#!/usr/bin/env node
// prisma-offline.mjs - offline stand-in for `prisma migrate dev|deploy|diff|status|reset` and `prisma db push`
// for Prisma 7 (sqlite + postgresql). It uses the Wasm schema engine (the native binary cannot be downloaded here)
// and Prisma's own driver adapters, wired the way the Prisma 6.x CLI did (prisma.config.ts `engine: "js"`).
// It needs: prisma, @prisma/schema-engine-wasm, @prisma/driver-adapter-utils, and
// @prisma/adapter-better-sqlite3 + better-sqlite3 and/or @prisma/adapter-pg + pg.
//
//   DATABASE_URL=file:./dev.db node scripts/prisma-offline.mjs dev --name init      # = prisma migrate dev --name init
//   node scripts/prisma-offline.mjs dev --name x --create-only                      # = migrate dev --create-only
//   node scripts/prisma-offline.mjs deploy | status | push [--accept-data-loss] | reset --force
//   node scripts/prisma-offline.mjs resolve rolled-back|applied <migration_name>
//   node scripts/prisma-offline.mjs diff [--from-empty]      # SQL from the migrations folder (or nothing) to the schema
// Options: --schema <file|dir> (default prisma/<sqlite|postgresql>/schema.prisma if it exists, else prisma/schema.prisma),
//          --migrations <dir> (default <schema dir>/migrations),
//          --url <url> (default $DATABASE_URL). A relative sqlite path in file:... is resolved against the current directory.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const filters = { externalTables: [], externalEnums: [] };

// ---- 1. the Wasm schema engine -------------------------------------------------------------------------------
// Prefer the .wasm shipped inside the installed `prisma` package (exactly its engine hash, e.g. d1b3f377 for 7.10.1),
// with the JS glue of @prisma/schema-engine-wasm; fall back to that package's own .wasm if the glue doesn't link.
export async function loadSchemaEngine() {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const candidates = [
    process.env.PRISMA_SCHEMA_ENGINE_WASM,
    path.join(path.dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm"),
    new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
  ].filter(Boolean);
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {
        "./schema_engine_bg.js": glue,
      });
      glue.__wbg_set_wasm(instance.exports);
      instance.exports.__wbindgen_start();
      if (process.env.DEBUG_OFFLINE) console.error(`schema engine ${glue.version()} from ${file}`);
      return glue.SchemaEngine;
    } catch (e) {
      if (!(e instanceof WebAssembly.LinkError)) throw e;
    }
  }
  throw new Error("no usable schema_engine_bg.wasm found");
}

// ---- 2. driver adapter factories -------------------------------------------------------------------------------
// The engine wants a *migration-aware factory* ({connect, connectToShadowDb}) wrapped by
// bindMigrationAwareSqlAdapterFactory, NOT an already-connected adapter (that gives
// "WASM_ERROR: TypeError: Cannot read properties of undefined (reading 'call')").
export async function adapterFactoryFor(url) {
  if (url.startsWith("file:")) {
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    const base = new PrismaBetterSqlite3({ url }); // its shadow DB is :memory:
    // The engine replays migrations on the shadow DB with executeRaw(<whole migration script>), but better-sqlite3's
    // prepare() accepts ONE statement ("The supplied SQL string contains more than one statement") -> run it as a script.
    const patch = (a) => {
      const raw = a.executeRaw.bind(a);
      a.executeRaw = async (q) => {
        try {
          return await raw(q);
        } catch (e) {
          if (q.args.length || !/more than one statement/.test(`${e.message} ${e.cause?.message}`)) throw e;
          await a.executeScript(q.sql);
          return 0;
        }
      };
      return a;
    };
    return {
      provider: base.provider,
      adapterName: base.adapterName,
      connect: async () => patch(await base.connect()),
      connectToShadowDb: async () => patch(await base.connectToShadowDb()),
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return pgMigrationFactory(PrismaPg, url);
  }
  throw new Error(`unsupported DATABASE_URL: ${url}`);
}

function pgMigrationFactory(PrismaPg, url) {
  const patch = (a) => {
    // (a) adapter-pg cannot decode pg_catalog columns of type "char" (oid 18) -> engine error
    //     "Column type 'char' could not be deserialized from the database". Read them as text.
    const io = a.performIO.bind(a);
    a.performIO = async (q) => {
      const r = await io(q);
      for (const f of r.fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
      return r;
    };
    // (b) adapter-pg's executeScript splits the script on ';' (breaks $$ bodies / strings and is not atomic).
    //     Send the whole migration as one simple query instead, like the native engine does.
    a.executeScript = async (sql) => {
      try {
        await a.underlyingDriver().query(sql);
      } catch (e) {
        a.onError(e);
      }
    };
    return a;
  };
  const main = new PrismaPg({ connectionString: url });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => patch(await main.connect()),
    // (c) adapter-pg's own connectToShadowDb is UNSAFE with a connectionString: pg lets the URL's database override
    //     the `database` it sets, so the shadow work runs against the MAIN database. Use a real throwaway database
    //     (needs CREATEDB, like `prisma migrate dev`) or SHADOW_DATABASE_URL (wiped before use!).
    connectToShadowDb: async () => {
      if (process.env.SHADOW_DATABASE_URL) {
        const shadow = patch(await new PrismaPg({ connectionString: process.env.SHADOW_DATABASE_URL }).connect());
        await shadow.underlyingDriver().query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
        return shadow;
      }
      const admin = await main.connect();
      const name = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      await admin.underlyingDriver().query(`CREATE DATABASE "${name}"`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      const shadow = patch(await new PrismaPg({ connectionString: u.href }).connect());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.underlyingDriver().query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

export async function createEngine({ url, schemaFiles }) {
  const SchemaEngine = await loadSchemaEngine();
  const factory = bindMigrationAwareSqlAdapterFactory(await adapterFactoryFor(url));
  const log = (msg) => {
    if (process.env.DEBUG_OFFLINE) console.error("[schema-engine]", msg);
  };
  return SchemaEngine.new({ datamodels: schemaFiles.map((f) => [f.path, f.content]) }, log, factory);
}

// ---- 3. files: schema, migrations folder (same shapes as the Prisma CLI's listMigrations) ----------------------
export function readSchemaFiles(schemaPath) {
  const files = fs.statSync(schemaPath).isDirectory()
    ? fs
        .readdirSync(schemaPath, { recursive: true })
        .filter((f) => f.endsWith(".prisma"))
        .map((f) => path.join(schemaPath, f))
    : [schemaPath];
  return files.map((f) => ({ path: path.resolve(f), content: fs.readFileSync(f, "utf8") }));
}

export function listMigrations(baseDir) {
  const lockfile = { path: "migration_lock.toml", content: readOrNull(path.join(baseDir, "migration_lock.toml")) };
  const migrationDirectories = (fs.existsSync(baseDir) ? fs.readdirSync(baseDir, { withFileTypes: true }) : [])
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const content = readOrNull(path.join(baseDir, name, "migration.sql"));
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content:
            content === null ? { tag: "error", value: "migration.sql not found" } : { tag: "ok", value: content },
        },
      };
    });
  return { baseDir: path.resolve(baseDir), lockfile, shadowDbInitScript: "", migrationDirectories };
}

function readOrNull(f) {
  try {
    return fs.readFileSync(f, "utf8");
  } catch {
    return null;
  }
}

function writeMigration(baseDir, { generatedMigrationName, migrationScript, extension, connectorType }) {
  const dir = path.join(baseDir, generatedMigrationName);
  if (fs.existsSync(dir)) throw new Error(`migration directory already exists: ${dir}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `migration.${extension}`), migrationScript);
  fs.writeFileSync(
    path.join(baseDir, "migration_lock.toml"),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${connectorType}"\n`,
  );
  return dir;
}

const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);

// ---- 4. CLI ---------------------------------------------------------------------------------------------------
async function main() {
  const { values: o, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      schema: { type: "string" },
      migrations: { type: "string" },
      url: { type: "string" },
      name: { type: "string", default: "" },
      "create-only": { type: "boolean", default: false },
      "from-empty": { type: "boolean", default: false },
      "accept-data-loss": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
  const cmd = positionals[0];
  const url = o.url ?? process.env.DATABASE_URL;
  if (!url) throw new Error("set DATABASE_URL or pass --url");
  // default schema: prisma/<sqlite|postgresql>/schema.prisma (dual-provider layout) if present, else prisma/schema.prisma
  const layout = `prisma/${url.startsWith("file:") ? "sqlite" : "postgresql"}/schema.prisma`;
  o.schema ??= fs.existsSync(layout) ? layout : "prisma/schema.prisma";
  const schemaFiles = readSchemaFiles(o.schema);
  const schema = { files: schemaFiles };
  const migDir =
    o.migrations ?? path.join(fs.statSync(o.schema).isDirectory() ? o.schema : path.dirname(o.schema), "migrations");
  if (cmd === "reset") {
    if (!o.force) throw new Error("reset drops ALL data; pass --force");
    // The wasm engine's SQLite reset only DELETEs rows (tables stay, so re-applying migrations fails).
    // Like the native CLI, delete the database file instead (before the engine opens it).
    if (url.startsWith("file:")) {
      const file = url.slice(5).split("?")[0];
      for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    }
  }
  const engine = await createEngine({ url, schemaFiles });
  const ml = () => listMigrations(migDir);
  // The wasm engine reports P1014 ("table _prisma_migrations does not exist") from devDiagnostic/diagnose on a fresh
  // database instead of treating it as "not initialized". applyMigrations with an EMPTY list just creates the table.
  const ensureMigrationsTable = () =>
    engine.applyMigrations({ migrationsList: { ...ml(), migrationDirectories: [] }, filters });
  const diagnose = async () => {
    try {
      return await engine.diagnoseMigrationHistory({ migrationsList: ml(), optInToShadowDatabase: false, filters });
    } catch (e) {
      if (e.code !== "P1014") throw e;
      return { hasMigrationsTable: false, failedMigrationNames: [], editedMigrationNames: [], history: null };
    }
  };
  const applyAll = async () => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: ml(), filters });
    console.log(
      appliedMigrationNames.length ? `applied: ${appliedMigrationNames.join(", ")}` : "no pending migrations",
    );
  };

  switch (cmd) {
    case "diff": {
      const from = o["from-empty"] || !fs.existsSync(migDir) ? { tag: "empty" } : { tag: "migrations", ...ml() };
      const r = await engine.diff({
        from,
        to: { tag: "schemaDatamodel", ...schema },
        script: true,
        exitCode: null,
        filters,
      });
      process.stdout.write(r.stdout ?? "");
      break;
    }
    case "dev": {
      await ensureMigrationsTable();
      // devDiagnostic must come first: it replays the migrations on the shadow DB and fills the engine's cache that
      // evaluateDataLoss/createMigration read (without it: "SQLite shadow DB must be provided through an external factory").
      const diag = await engine.devDiagnostic({ migrationsList: ml(), filters });
      if (diag.action.tag === "reset")
        throw new Error(`database must be reset (run 'reset --force'): ${diag.action.reason}`);
      await applyAll();
      // Applying pending migrations drops that cache: fill it again (else the same error from a second migration on).
      await engine.devDiagnostic({ migrationsList: ml(), filters });
      const loss = await engine.evaluateDataLoss({ migrationsList: ml(), schema, filters });
      if (loss.unexecutableSteps.length && !o["create-only"])
        // like the CLI: only --create-only may proceed (edit the SQL)
        throw new Error(loss.unexecutableSteps.map((s) => s.message).join("\n"));
      if (loss.warnings.length && !o["accept-data-loss"] && !o["create-only"])
        throw new Error(
          `data loss warnings (use --accept-data-loss):\n${loss.warnings.map((w) => " - " + w.message).join("\n")}`,
        );
      if (loss.migrationSteps === 0 && !o["create-only"]) {
        console.log("already in sync");
        break;
      }
      const out = await engine.createMigration({
        migrationName: slug(o.name),
        draft: o["create-only"],
        migrationsList: ml(),
        schema,
        filters,
      });
      if (out.migrationScript === null) {
        console.log("already in sync");
        break;
      }
      console.log(`created ${path.relative(process.cwd(), writeMigration(migDir, out))}`);
      if (!o["create-only"]) await applyAll();
      break;
    }
    case "deploy": {
      const d = await diagnose();
      if (d.failedMigrationNames.length)
        throw new Error(`failed migrations in the target database: ${d.failedMigrationNames}`);
      await applyAll();
      break;
    }
    case "status": {
      const d = await diagnose();
      console.log(JSON.stringify(d, null, 2));
      if (d.history || d.failedMigrationNames.length || !d.hasMigrationsTable) process.exitCode = 1;
      break;
    }
    case "push": {
      const r = await engine.schemaPush({ force: o["accept-data-loss"], schema, filters });
      if (r.unexecutable.length) throw new Error(r.unexecutable.join("\n"));
      if (r.warnings.length && !o["accept-data-loss"])
        throw new Error(`data loss warnings (use --accept-data-loss):\n${r.warnings.join("\n")}`);
      console.log(`pushed (${r.executedSteps} steps)`);
      break;
    }
    case "resolve": {
      // = prisma migrate resolve --rolled-back <name> | --applied <name>
      const [, how, name] = positionals;
      if (how === "rolled-back") await engine.markMigrationRolledBack({ migrationName: name });
      else if (how === "applied") await engine.markMigrationApplied({ migrationName: name, migrationsList: ml() });
      else throw new Error("usage: resolve rolled-back|applied <migration_name>");
      console.log(`marked ${name} as ${how}`);
      break;
    }
    case "reset": {
      if (!url.startsWith("file:")) await engine.reset({ filter: filters }); // postgres: drops and recreates the schema
      await applyAll();
      break;
    }
    default:
      throw new Error(`unknown command ${cmd}; use dev|deploy|status|diff|push|reset|resolve`);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e) => {
      console.error(e?.message ?? e);
      process.exit(1);
    },
  );
}
