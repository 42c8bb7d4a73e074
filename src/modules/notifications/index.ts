// The notifications module's public API: the one way other modules write notifications.
export { notificationsRouter } from "./notifications.router.ts";
export { createNotificationsService, type Notify, type NotificationsService } from "./notifications.service.ts";
export type { NotificationRow } from "./notifications.schemas.ts";
