// Writes prisma/<provider>/schema.prisma for SQLite and PostgreSQL from the one prisma/models.prisma.
import fs from "node:fs";
import { fileURLToPath } from "node:url";

export const providers = [
  { provider: "sqlite", output: "sqlite" },
  { provider: "postgresql", output: "pg" },
];

export function renderSchema(provider, output, models = fs.readFileSync("prisma/models.prisma", "utf8")) {
  return `// GENERATED from prisma/models.prisma by scripts/gen-schemas.mjs - do not edit
generator client {
  provider = "prisma-client"
  output   = "../../src/generated/${output}"
}

datasource db {
  provider = "${provider}"
}

${models}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { provider, output } of providers) {
    fs.mkdirSync(`prisma/${provider}`, { recursive: true });
    fs.writeFileSync(`prisma/${provider}/schema.prisma`, renderSchema(provider, output));
  }
}
