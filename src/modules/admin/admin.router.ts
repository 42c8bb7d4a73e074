import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import { paymentListQuery, paymentListSchema, paymentPage, type PaymentsService } from "../payments/index.ts";
import { adminUserPageSchema, adminUserQuery, adminUserSchema, suspendBody, toAdminUser } from "./admin.schemas.ts";
import type { AdminService } from "./admin.service.ts";

const tags = ["admin"];
const roles = ["admin" as const];

type AdminRouterServices = { admin: AdminService; payments: PaymentsService };

export function adminRouter(deps: AppDeps, registry: OpenAPIRegistry, { admin, payments }: AdminRouterServices) {
  const { router, route } = createRouter(deps, registry);
  const show = (u: Parameters<typeof toAdminUser>[1]) => toAdminUser(deps.config, u);
  route(
    {
      method: "get",
      path: "/apis/admin/users/",
      summary: "List and search every account (admins), with its suspension",
      tags,
      access: "user",
      roles,
      query: adminUserQuery,
      response: adminUserPageSchema,
    },
    async ({ query, req }) => {
      const { count, rows } = await admin.listUsers(query);
      return pageEnvelope(req, query, count, rows.map(show));
    },
  );

  route(
    {
      method: "post",
      path: "/apis/admin/users/:id/suspend/",
      summary: "Suspend an account: its sessions end and its sockets close at once; it cannot log in until reinstated",
      description: "409 INVALID_STATE when already suspended or an admin account; 404 for an unknown or deleted one.",
      tags,
      access: "user",
      roles,
      params: idParams,
      body: suspendBody,
      response: adminUserSchema,
    },
    async ({ user, params, body }) => show(await admin.suspend(user, params.id, body.reason)),
  );

  route(
    {
      method: "post",
      path: "/apis/admin/users/:id/reinstate/",
      summary: "Lift a suspension (the user logs in again)",
      tags,
      access: "user",
      roles,
      params: idParams,
      response: adminUserSchema,
    },
    async ({ user, params }) => show(await admin.reinstate(user, params.id)),
  );

  route(
    {
      method: "get",
      path: "/apis/admin/payments/",
      summary: "Every payment (admins; filters status, campaign, bid)",
      tags,
      access: "user",
      roles,
      query: paymentListQuery,
      response: paymentListSchema,
    },
    ({ user, query, req }) => paymentPage(payments, user, query, req),
  );

  return router;
}
