// What we read from a signed Stripe event, checked: a correctly signed event can still be malformed (data: null, no
// id, an object where an id belongs). Such an event is acknowledged and ignored (logged), never a 500 that Stripe
// would retry for days.
import { z } from "zod";

const ref = z
  .union([z.string().min(1), z.object({ id: z.string().min(1) })])
  .nullish()
  .transform((v) => (typeof v === "string" ? v : (v?.id ?? null)));

const eventShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int().nullish(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const session = z.object({
  id: z.string().min(1),
  payment_status: z.string().nullish(),
  status: z.string().nullish(),
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  payment_intent: ref,
});

const charge = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  currency: z.string(),
  payment_intent: ref,
});

const refund = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  status: z.string().nullish(),
  payment_intent: ref,
  metadata: z.record(z.string(), z.string()).nullish(),
});

const dispute = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
  payment_intent: ref,
});

const account = z.object({
  id: z.string().min(1),
  details_submitted: z.boolean().nullish(),
  payouts_enabled: z.boolean().nullish(),
  requirements: z.object({ currently_due: z.array(z.string()).nullish() }).nullish(),
  settings: z
    .object({
      payouts: z.object({ schedule: z.object({ delay_days: z.number().int().nullish() }).nullish() }).nullish(),
    })
    .nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

type SessionObject = z.output<typeof session>;
type ChargeObject = z.output<typeof charge>;
export type RefundObject = z.output<typeof refund>;
export type DisputeObject = z.output<typeof dispute>;

export type ParsedEvent = { id: string; type: string; created: Date } & (
  | { kind: "session"; object: SessionObject }
  | { kind: "charge"; object: ChargeObject }
  | { kind: "refund"; object: RefundObject }
  | { kind: "dispute"; object: DisputeObject }
  | { kind: "account"; object: z.output<typeof account> }
);

const OBJECTS = {
  "checkout.session.completed": ["session", session],
  "checkout.session.async_payment_succeeded": ["session", session],
  "checkout.session.expired": ["session", session],
  "checkout.session.async_payment_failed": ["session", session],
  "charge.refunded": ["charge", charge],
  "refund.created": ["refund", refund],
  "refund.updated": ["refund", refund],
  "charge.dispute.created": ["dispute", dispute],
  "charge.dispute.closed": ["dispute", dispute],
  "account.updated": ["account", account], // a Connect event: an influencer's connected account changed
} as const;

export const handledEvent = (type: string): type is keyof typeof OBJECTS => Object.hasOwn(OBJECTS, type);

// The event, or a reason it cannot be applied.
export function parseEvent(raw: unknown): { event: ParsedEvent } | { invalid: string } {
  const shape = eventShape.safeParse(raw);
  if (!shape.success) return { invalid: "not an event with an id, a type and data.object" };
  const { id, type, data } = shape.data;
  const created = new Date((shape.data.created ?? 0) * 1000);
  if (!handledEvent(type)) return { invalid: `unhandled type ${type}` };
  const [kind, schema] = OBJECTS[type];
  const object = schema.safeParse(data.object);
  if (!object.success) return { invalid: `malformed ${kind} object` };
  return { event: { id, type, created, kind, object: object.data } as ParsedEvent };
}
