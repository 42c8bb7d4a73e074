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
  updateNotificationBody,
} from "./notifications.schemas.ts";
import {
  createNotificationAsAdmin,
  deleteNotification,
  listNotifications,
  markAllNotificationsRead,
  setNotificationRead,
} from "./notifications.service.ts";

const tags = ["notifications"];

export function notificationsRouter(deps: AppDeps, registry: OpenAPIRegistry) {
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
      const { count, unreadCount, results } = await listNotifications(deps, user.id, query);
      return { ...pageEnvelope(req, query, count, results), unread_count: unreadCount };
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
    ({ user }) => markAllNotificationsRead(deps, user.id),
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
    ({ user, params, body }) => setNotificationRead(deps, user.id, params.id, body.is_read),
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
      await deleteNotification(deps, user.id, params.id);
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
    ({ body }) => createNotificationAsAdmin(deps, body),
  );

  return router;
}
