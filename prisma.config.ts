import { defineConfig } from "prisma/config";

// No network here: the native schema engine cannot be downloaded. Point Prisma at a stub so `prisma generate`
// works; migrations are made by scripts/prisma-offline.mjs (Prisma's Wasm engine) and applied by src/db/migrate.ts.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= new URL("./.prisma-offline/schema-engine", import.meta.url).pathname;

export default defineConfig({
  schema: "prisma/sqlite/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/collabhub.db" },
});
