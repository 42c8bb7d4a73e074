import { z } from "zod";
import type { Config } from "../../config.ts";
import { AccountType } from "../../db/client.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import { privateUserSchema, toPrivateUser, type UserRow } from "../users/index.ts";

export const adminUserQuery = paginationQuery.extend({
  search: z.string().trim().max(100).optional().describe("words in the email, username, first or last name"),
  account_type: z.enum(AccountType).optional(),
  state: z.enum(["active", "suspended", "deleted"]).optional(),
});
export type AdminUserQuery = z.output<typeof adminUserQuery>;

export const suspendBody = z.object({ reason: z.string().trim().max(1000).optional() }).meta({ id: "SuspendUser" });

export const adminUserSchema = privateUserSchema
  .extend({ suspended_at: z.string().nullable() })
  .meta({ id: "AdminUser" });
export const adminUserPageSchema = paginatedSchema(adminUserSchema).meta({ id: "AdminUserPage" });

export const toAdminUser = (config: Config, u: UserRow): z.infer<typeof adminUserSchema> => ({
  ...toPrivateUser(config, u),
  suspended_at: u.suspendedAt?.toISOString() ?? null,
});
