// Schemas every feature shares: ids, dates, money, pagination, the error body.
import { z } from "zod";
import { parseMoney } from "./money.ts";

export const idParams = z.object({ id: z.uuid() });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      request_id: z.string().optional(),
    }),
  })
  .meta({ id: "Error" });

// "YYYY-MM-DD" -> Date at midnight UTC; refuses impossible dates like 2024-02-31.
export const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  // zod runs the refinement even after the regex failed: an unparsable string must not throw (RangeError -> 500).
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "not a real date")
  .transform((s) => new Date(`${s}T00:00:00Z`));

export const toDateString = (d: Date) => d.toISOString().slice(0, 10);

// Amount in a request: a number or a decimal string with at most two places -> integer cents.
export const moneyInput = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const cents = parseMoney(v);
    if (cents === undefined) {
      ctx.addIssue({ code: "custom", message: 'expected an amount such as 1500 or "1500.00" (at most 2 decimals)' });
      return z.NEVER;
    }
    return cents;
  })
  .pipe(z.number().int().positive("must be greater than 0").max(100_000_000_00, "must be at most 100000000.00"));

export const currency = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, "expected a 3-letter ISO currency code")
  .transform((c) => c.toLowerCase());

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

export function paginatedSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

// Query-string booleans: "true"/"false"/"1"/"0".
export const queryBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
