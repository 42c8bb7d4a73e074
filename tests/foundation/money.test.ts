import { describe, expect, it } from "vitest";
import { formatMoney, parseAmount, parseMoney } from "../../src/lib/money.ts";
import { currency, moneyInput } from "../../src/lib/schemas.ts";

describe("money", () => {
  it("formats minor units with the currency's own places", () => {
    expect(formatMoney(150000, "usd")).toBe("1500.00");
    expect(formatMoney(5, "eur")).toBe("0.05");
    expect(formatMoney(-1234, "usd")).toBe("-12.34");
    expect(formatMoney(1500, "jpy")).toBe("1500");
    expect(formatMoney(1500, "kwd")).toBe("1.500");
    expect(formatMoney(5, "bhd")).toBe("0.005");
  });

  it("reads amounts in the currency's places, refusing digits it does not have", () => {
    expect(parseMoney("1500.00", "usd")).toEqual({ ok: true, minor: 150000 });
    expect(parseMoney(1500.5, "usd")).toEqual({ ok: true, minor: 150050 });
    expect(parseMoney("19.9", "usd")).toEqual({ ok: true, minor: 1990 });
    expect(parseMoney("1500", "jpy")).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney("1500.00", "jpy")).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney("1.500", "kwd")).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney("1.999", "usd").ok).toBe(false);
    expect(parseMoney("1500.5", "jpy").ok).toBe(false);
    expect(parseMoney("1e3", "usd").ok).toBe(false);
    expect(parseMoney(Number.NaN, "usd").ok).toBe(false);
  });

  it("bounds amounts to what Stripe charges and the columns hold", () => {
    expect(parseAmount("999999.99", "usd")).toEqual({ ok: true, minor: 99_999_999 });
    expect(parseAmount("1000000.00", "usd").ok).toBe(false);
    expect(parseAmount("100000000.00", "usd").ok).toBe(false);
    expect(parseAmount("0", "usd").ok).toBe(false);
    expect(parseAmount("1.505", "kwd").ok).toBe(false); // Stripe: three-decimal amounts end in 0
  });

  it("takes amounts as text and only supported currencies in requests", () => {
    expect(moneyInput.parse("5000.00")).toBe("5000.00");
    expect(moneyInput.parse(1500)).toBe("1500");
    expect(moneyInput.safeParse("-5").success).toBe(false);
    expect(moneyInput.safeParse("abc").success).toBe(false);
    expect(currency.parse("JPY")).toBe("jpy");
    expect(currency.safeParse("xyz").success).toBe(false);
  });
});
