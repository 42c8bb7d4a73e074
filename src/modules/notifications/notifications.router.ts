import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import {
  createNotificationBody,
  notificationListQuery,
  notificationListSchema,
  notificationSchema,
  readAllSchema,
  toNotificationResponse,
  updateNotificationBody,
} from "./notifications.schemas.ts";
import type { NotificationsService } from "./notifications.service.ts";

const tags = ["notifications"];

export function notificationsRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { notifications }: { notifications: NotificationsService },
) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "get",
      path: "/apis/notifications/",
      summary: "The caller's notifications, newest first (filters: unread or is_read, type), with the unread total",
      tags,
      access: "user",
      query: notificationListQuery,
      response: notificationListSchema,
    },
    async ({ user, query, req }) => {
      const { count, unreadCount, rows } = await notifications.list(user.id, query);
      return { ...pageEnvelope(req, query, count, rows.map(toNotificationResponse)), unread_count: unreadCount };
    },
  );

  route(
    {
      method: "put",
      path: "/apis/notifications/read-all/",
      summary: "Mark all the caller's notifications read",
      tags,
      access: "user",
      response: readAllSchema,
    },
    async ({ user }) => ({ updated: await notifications.markAllRead(user.id) }),
  );

  route(
    {
      method: ["put", "patch"],
      path: "/apis/update-notification/:id/",
      summary: "Mark one of the caller's notifications read or unread",
      tags,
      access: "user",
      params: idParams,
      body: updateNotificationBody,
      response: notificationSchema,
    },
    async ({ user, params, body }) =>
      toNotificationResponse(await notifications.setRead(user.id, params.id, body.is_read)),
  );

  route(
    {
      method: "delete",
      path: "/apis/delete-notification/:id/",
      summary: "Delete one of the caller's notifications",
      tags,
      access: "user",
      params: idParams,
      status: 204,
    },
    async ({ user, params }) => {
      await notifications.remove(user.id, params.id);
    },
  );

  route(
    {
      method: "post",
      path: "/apis/create-notification/",
      summary: "Send a notification to a user (admins only; pushed as `notification`)",
      tags,
      access: "user",
      roles: ["admin"],
      body: createNotificationBody,
      status: 201,
      response: notificationSchema,
    },
    async ({ body }) => toNotificationResponse(await notifications.createAsAdmin(body)),
  );

  return router;
}
