// What the payments service is built from (src/services.ts): its internal steps take the parts they use.
import type { AppDeps } from "../../lib/deps.ts";
import type { NotificationsService } from "../notifications/index.ts";
import type { StripeClient } from "./stripe-client.ts";

export type PaymentsDeps = Pick<AppDeps, "db" | "config" | "clock" | "logger" | "metrics"> & {
  notifications: NotificationsService;
  stripe: StripeClient | undefined; // the one client (src/services.ts); undefined without STRIPE_SECRET_KEY
};
