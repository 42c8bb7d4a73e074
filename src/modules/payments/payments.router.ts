import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Request, Response } from "express";
import type { z } from "zod";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import {
  callbackResponse,
  checkoutBody,
  checkoutResponse,
  paymentListQuery,
  paymentListSchema,
  paymentSchema,
  cancelQuery,
  ledgerSchema,
  refundBody,
  refundSchema,
  sessionQuery,
  toLedgerResponse,
  toPaymentResponse,
  toRefundResponse,
  stripeEventBody,
  webhookResponse,
} from "./payments.schemas.ts";
import type { CallbackResult, PaymentsService } from "./payments.service.ts";

// One page of the payments a user may see, as the list answers it (here and in the admin API).
export async function paymentPage(
  payments: PaymentsService,
  user: AuthUser,
  query: z.output<typeof paymentListQuery>,
  req: Request,
) {
  const { count, rows } = await payments.listPayments(user, query);
  return pageEnvelope(
    req,
    query,
    count,
    rows.map((p) => toPaymentResponse(p, user)),
  );
}

const tags = ["payments"];

// A browser sent here by Stripe asks for HTML: it is redirected to the front end's page; API clients get JSON.
const wantsHtml = (req: Request) => req.accepts(["json", "html"]) === "html";

export function paymentsRouter(deps: AppDeps, registry: OpenAPIRegistry, { payments }: { payments: PaymentsService }) {
  const { router, route } = createRouter(deps, registry);

  const callbackReply = (
    req: Request,
    res: Response,
    page: "success" | "cancel",
    sessionId: string,
    result: CallbackResult,
    user: AuthUser | undefined,
  ) => {
    const body = {
      status: result.payment.status,
      paid: result.paid,
      payment: toPaymentResponse(result.payment, user),
    };
    if (!wantsHtml(req)) return body;
    const url = new URL(`${deps.config.FRONTEND_URL}/payment/${page}`);
    url.searchParams.set("session_id", sessionId);
    url.searchParams.set("status", result.payment.status);
    res.redirect(302, url.href);
    return undefined;
  };

  route(
    {
      method: "post",
      path: "/apis/create-checkout-session/",
      summary: "Start (or resume) the Stripe Checkout for an accepted bid",
      description:
        "The brand owning the campaign (verified). Body {bid} or {campaign} (its accepted bid); the campaign must be " +
        "pending_payment. Asking again while the session is open returns the same session. 503 without Stripe keys, " +
        "502 when Stripe fails.",
      tags,
      access: "verified",
      roles: ["brand"],
      body: checkoutBody,
      response: checkoutResponse,
    },
    async ({ user, body }) => {
      const result = await payments.createCheckout(user, body);
      return { url: result.url, session_id: result.sessionId, payment: toPaymentResponse(result.payment, user) };
    },
  );

  route(
    {
      method: "post",
      path: "/apis/stripe/webhook/",
      summary: "Stripe webhook (signed with STRIPE_WEBHOOK_SECRET)",
      description:
        "Called by Stripe. The Stripe-Signature header is checked against the raw body (400 when missing or wrong). " +
        "Each event id is applied once; unknown event types are acknowledged and ignored.",
      tags,
      access: "public",
      documentedBody: stripeEventBody,
      response: webhookResponse,
    },
    async ({ req }) => {
      const signature = req.get("stripe-signature");
      return payments.handleWebhook(req.rawBody, signature);
    },
  );

  route(
    {
      method: "get",
      path: "/apis/pay/success/",
      summary: "Back from Stripe: verify the session with Stripe and complete the payment when paid",
      description:
        "Public: Stripe sends the browser here without our token; the session id is checked with Stripe, never trusted. " +
        "JSON, or a 302 redirect to FRONTEND_URL/payment/success when the request accepts text/html.",
      tags,
      access: "public",
      query: sessionQuery,
      response: callbackResponse,
    },
    async ({ req, res, query, user }) =>
      callbackReply(req, res, "success", query.session_id, await payments.confirmSuccess(query.session_id), user),
  );

  route(
    {
      method: "get",
      path: "/apis/pay/cancel/",
      summary: "The brand left Stripe's page: cancel the pending payment (the brand may start again)",
      description:
        "Needs the paying brand's token (or an admin's), or the `cancel_token` the server put in Stripe's cancel URL " +
        "(FRONTEND_URL/payment/cancel?session_id=...&cancel_token=...): 403 otherwise, and nothing changes. Closes the " +
        "session at Stripe, then marks the payment canceled; again later, it reports the state. JSON, or a 302 " +
        "redirect to FRONTEND_URL/payment/cancel when the request accepts text/html.",
      tags,
      access: "public",
      query: cancelQuery,
      response: callbackResponse,
    },
    async ({ req, res, query, user }) =>
      callbackReply(
        req,
        res,
        "cancel",
        query.session_id,
        await payments.cancelCheckout(user, query.session_id, query.cancel_token),
        user,
      ),
  );

  route(
    {
      method: "get",
      path: "/apis/payments/",
      summary: "Payments the caller may see (brand: its own; influencer: for its bids; admin: all)",
      tags,
      access: "user",
      query: paymentListQuery,
      response: paymentListSchema,
    },
    ({ req, user, query }) => paymentPage(payments, user, query, req),
  );

  route(
    {
      method: "get",
      path: "/apis/payments/:id/",
      summary: "One payment",
      tags,
      access: "user",
      params: idParams,
      response: paymentSchema,
    },
    async ({ user, params }) => toPaymentResponse(await payments.getPayment(user, params.id), user),
  );

  route(
    {
      method: "post",
      path: "/apis/payments/:id/refund/",
      summary: "Refund a completed payment, in full or in part (admins)",
      description:
        "Body {amount?, reason?}: the whole remaining amount when amount is omitted. One refund per payment at a time " +
        "(409 while one is in flight, or when nothing is left); sent to Stripe with an idempotency key. A full refund " +
        "ends the payment refunded and the campaign canceled. 502 when Stripe cannot be reached (it is retried).",
      tags,
      access: "user",
      roles: ["admin"],
      params: idParams,
      body: refundBody,
      status: 201,
      response: refundSchema,
    },
    async ({ user, params, body }) => toRefundResponse(await payments.refundPayment(user, params.id, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/payments/:id/ledger/",
      summary: "Where every minor unit of a payment is: its ledger movements, balances and refunds",
      description: "The paying brand and admins (404 for anyone else). Entries are signed: + debit, - credit.",
      tags,
      access: "user",
      params: idParams,
      response: ledgerSchema,
    },
    async ({ user, params }) => toLedgerResponse(await payments.ledger(user, params.id)),
  );

  return router;
}
