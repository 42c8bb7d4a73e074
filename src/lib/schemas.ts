// Schemas every feature shares: ids, dates, money, pagination, the error body.
import { z } from "zod";
import { isCurrency } from "./money.ts";

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

// Years both databases store and compare alike (PostgreSQL has no year 0; JavaScript dates go further than either).
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;
const inYearRange = (d: Date) => d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR;
const YEAR_MESSAGE = `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`;

// "YYYY-MM-DD" -> Date at midnight UTC; refuses impossible dates like 2024-02-31 and years outside 1900-9999.
export const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((s) => Number(s.slice(0, 4)) >= MIN_YEAR, YEAR_MESSAGE)
  // zod runs the refinement even after the regex failed: an unparsable string must not throw (RangeError -> 500).
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "not a real date")
  .meta({ format: "date" })
  .transform((s) => new Date(`${s}T00:00:00Z`));

// An ISO 8601 date and time with its offset -> Date, years 1900-9999.
export const dateTimeString = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine(inYearRange, YEAR_MESSAGE);

export const toDateString = (d: Date) => d.toISOString().slice(0, 10);

// Amount in a request: a number or a decimal string, kept as text: its minor units depend on the currency, which
// the service knows (amountOrThrow in lib/money.ts turns it into minor units, or a 400).
export const moneyInput = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
  .pipe(z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, 'expected an amount such as "1500" or "1500.00"'));

// A currency Stripe supports (ISO 4217, lower-cased).
export const currency = z
  .string()
  .transform((c) => c.trim().toLowerCase())
  .refine(isCurrency, "expected a supported 3-letter ISO currency code such as usd, eur or jpy");

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
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
