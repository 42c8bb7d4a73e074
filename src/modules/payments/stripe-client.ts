// The one place a Stripe SDK client is made. STRIPE_API_URL points it at another host (a local fake in tests);
// a bounded timeout and a single retry keep a slow Stripe from holding requests open (retries are safe: every
// call that creates something carries an idempotency key).
import Stripe from "stripe";
import type { Config } from "../../config.ts";

export type StripeClient = Stripe;
export type CheckoutSession = Stripe.Checkout.Session;

export function createStripeClient(config: Config): StripeClient | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
  const protocol = api?.protocol === "http:" ? "http" : "https";
  return new Stripe(config.STRIPE_SECRET_KEY, {
    timeout: config.STRIPE_TIMEOUT_MS,
    maxNetworkRetries: 1,
    telemetry: false,
    ...(api && { host: api.hostname, port: api.port || (protocol === "http" ? 80 : 443), protocol }),
  });
}

// Stripe answered "no such object" (as opposed to being unreachable or failing).
export function isStripeNotFound(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && err.statusCode === 404;
}

export function isSignatureError(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeSignatureVerificationError;
}

// Stripe answered and refused the request (4xx): retrying the same request cannot help.
export function isStripeRequestError(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && (err.statusCode ?? 0) >= 400 && (err.statusCode ?? 0) < 500;
}
