// Reading from Stripe, with its failures turned into our error codes.
import type { Logger } from "../../lib/logger.ts";
import { upstreamError } from "../../lib/errors.ts";
import { isStripeNotFound, type CheckoutSession, type StripeClient } from "./stripe-client.ts";

// The session as Stripe knows it; undefined when Stripe does not know it; 502 when Stripe cannot be asked.
export async function retrieveSession(
  stripe: StripeClient,
  logger: Logger,
  sessionId: string,
): Promise<CheckoutSession | undefined> {
  try {
    return await stripe.checkout.sessions.retrieve(sessionId);
  } catch (err) {
    if (isStripeNotFound(err)) return undefined;
    logger.warn({ err, session: sessionId }, "stripe: retrieving a checkout session failed");
    throw upstreamError("Stripe could not be reached to check the payment; try again.");
  }
}

// Closes an open session so it can no longer be paid; 502 when Stripe cannot be asked.
export async function expireSession(stripe: StripeClient, logger: Logger, sessionId: string): Promise<void> {
  try {
    await stripe.checkout.sessions.expire(sessionId);
  } catch (err) {
    logger.warn({ err, session: sessionId }, "stripe: expiring a checkout session failed");
    throw upstreamError("Stripe could not be reached to cancel the checkout; try again.");
  }
}
