// Money is integer minor units everywhere inside, with its ISO currency; a decimal string with the currency's own
// number of places at the edge ("1500" JPY, "1500.00" USD, "1.500" KWD). Every parse, format and Stripe amount goes
// through here, so no code multiplies by 100 on its own.
import { validationError } from "./errors.ts";

// Stripe's zero-decimal and three-decimal currencies (https://docs.stripe.com/currencies); the rest have two.
const ZERO_DECIMAL = [
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
];
const THREE_DECIMAL = ["bhd", "jod", "kwd", "omr", "tnd"];
const TWO_DECIMAL = [
  "usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd", "bdt", "bgn", "bmd",
  "bnd", "bob", "brl", "bsd", "bwp", "byn", "bzd", "cad", "cdf", "chf", "cny", "cop", "crc", "cve", "czk", "dkk",
  "dop", "dzd", "egp", "etb", "eur", "fjd", "fkp", "gbp", "gel", "gip", "gmd", "gtq", "gyd", "hkd", "hnl", "htg",
  "huf", "idr", "ils", "inr", "isk", "jmd", "kes", "kgs", "khr", "kyd", "kzt", "lak", "lbp", "lkr", "lrd", "lsl",
  "mad", "mdl", "mkd", "mmk", "mnt", "mop", "mur", "mvr", "mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio", "nok",
  "npr", "nzd", "pab", "pen", "pgk", "php", "pkr", "pln", "qar", "ron", "rsd", "rub", "sar", "sbd", "scr", "sek",
  "sgd", "shp", "sle", "sos", "srd", "std", "szl", "thb", "tjs", "top", "try", "ttd", "twd", "tzs", "uah", "uyu",
  "uzs", "wst", "xcd", "yer", "zar", "zmw",
]; // prettier-ignore

const EXPONENT = new Map<string, number>([
  ...ZERO_DECIMAL.map((c) => [c, 0] as const),
  ...TWO_DECIMAL.map((c) => [c, 2] as const),
  ...THREE_DECIMAL.map((c) => [c, 3] as const),
]);

// Stripe takes at most 8 digits of minor units for a charge (99999999), below the 32-bit INTEGER columns hold.
const MAX_MINOR = 99_999_999;

export const isCurrency = (code: string) => EXPONENT.has(code.toLowerCase());

function exponentOf(currency: string): number {
  const exponent = EXPONENT.get(currency.toLowerCase());
  if (exponent === undefined) throw new Error(`unsupported currency ${currency}`);
  return exponent;
}

export function formatMoney(minor: number, currency: string): string {
  const exponent = exponentOf(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type ParsedMoney = { ok: true; minor: number } | { ok: false; message: string };

// "1500", "1500.5", 1500 -> minor units of `currency`. Places beyond the currency's own are refused unless they are
// zeros ("1500.00" JPY is 1500 yen; "1500.50" JPY is an error, never rounded).
export function parseMoney(value: number | string, currency: string): ParsedMoney {
  const exponent = exponentOf(currency);
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
  const match = /^(-?)(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return { ok: false, message: 'expected a decimal amount such as "1500" or "1500.00"' };
  const [, sign, whole = "", fraction = ""] = match;
  if (/[^0]/.test(fraction.slice(exponent))) {
    return { ok: false, message: `${currency.toUpperCase()} has ${exponent} decimal places` };
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.slice(0, exponent).padEnd(exponent, "0") || "0");
  // No column or Stripe amount holds more: a larger amount (a filter bound too) is refused, never sent to a query.
  if (minor > MAX_MINOR) return { ok: false, message: `must be at most ${formatMoney(MAX_MINOR, currency)}` };
  return { ok: true, minor: sign ? -minor : minor };
}

// A positive amount Stripe can charge and our columns hold; the message says why not.
export function parseAmount(value: number | string, currency: string): ParsedMoney {
  const parsed = parseMoney(value, currency);
  if (!parsed.ok) return parsed;
  if (parsed.minor <= 0) return { ok: false, message: "must be greater than 0" };
  if (parsed.minor > MAX_MINOR) return { ok: false, message: `must be at most ${formatMoney(MAX_MINOR, currency)}` };
  // Stripe charges three-decimal currencies in multiples of 10 minor units.
  if (exponentOf(currency) === 3 && parsed.minor % 10 !== 0) {
    return { ok: false, message: `${currency.toUpperCase()} amounts must end in 0 (Stripe charges whole 0.010s)` };
  }
  return parsed;
}

// Stripe's unit_amount for an amount in minor units is the same integer: its smallest unit is our minor unit, for
// zero-decimal (JPY) and three-decimal (KWD) currencies alike.
export const stripeAmount = (minor: number) => minor;

export const describeMoney = (minor: number, currency: string) =>
  `${formatMoney(minor, currency)} ${currency.toUpperCase()}`;

// For services: the amount in minor units, or a 400 naming the field.
export function amountOrThrow(field: string, value: string, currency: string): number {
  const parsed = parseAmount(value, currency);
  if (!parsed.ok) throw validationError("Invalid request body.", { [field]: [parsed.message] });
  return parsed.minor;
}
