// The notification_actor migration copies data.actor_id into the new actorId column of the notifications a database
// already holds, so reading a conversation also clears the new_message notifications sent before the upgrade.
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.ts";
import { migrateDeploy } from "../../src/db/migrate.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { migrationsBefore } from "../helpers/migrations.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0)) await step();
});

describe("the notification_actor migration", () => {
  it("fills actorId from each notification's data", async () => {
    const database = await createTestDatabase({ migrate: false });
    cleanup.push(() => database.drop());
    const before = migrationsBefore(database.url, "notification_actor");
    cleanup.push(before.remove);
    await migrateDeploy(database.url, { dir: before.dir });

    const db = createDb(database.url);
    cleanup.push(() => db.$disconnect());
    // Raw SQL: the generated client already knows the new column, the database does not have it yet.
    await db.$executeRawUnsafe(`INSERT INTO "User" ("id", "email", "username", "passwordHash", "accountType", "updatedAt") VALUES
      ('u', 'u@example.com', 'u', 'x', 'brand', CURRENT_TIMESTAMP)`);
    await db.$executeRawUnsafe(`INSERT INTO "Notification" ("id", "userId", "type", "message", "data") VALUES
      ('n1', 'u', 'new_message', 'hi', '{"message_id":"m","actor_id":"a1"}'),
      ('n2', 'u', 'payment_completed', 'paid', '{"payment_id":"p"}'),
      ('n3', 'u', 'system', 'hello', NULL)`);

    // This migration is applied first; later ones (added since) may follow it.
    const applied = await migrateDeploy(database.url);
    expect(applied[0]).toMatch(/_notification_actor$/);
    const rows = await db.notification.findMany({ orderBy: { id: "asc" }, select: { id: true, actorId: true } });
    expect(rows).toEqual([
      { id: "n1", actorId: "a1" },
      { id: "n2", actorId: null },
      { id: "n3", actorId: null },
    ]);
  });
});
