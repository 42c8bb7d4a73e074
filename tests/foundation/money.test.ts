import { describe, expect, it } from "vitest";
import { formatMoney, parseMoney } from "../../src/lib/money.ts";
import { moneyInput } from "../../src/lib/schemas.ts";

describe("money", () => {
  it("formats cents as a decimal string with two places", () => {
    expect(formatMoney(150000)).toBe("1500.00");
    expect(formatMoney(5)).toBe("0.05");
    expect(formatMoney(-1234)).toBe("-12.34");
  });

  it("reads numbers and strings with at most two decimals", () => {
    expect(parseMoney("1500.00")).toBe(150000);
    expect(parseMoney(1500.5)).toBe(150050);
    expect(parseMoney("19.9")).toBe(1990);
    expect(parseMoney("1.999")).toBeUndefined();
    expect(parseMoney("1e3")).toBeUndefined();
    expect(parseMoney(Number.NaN)).toBeUndefined();
  });

  it("accepts only positive amounts in requests", () => {
    expect(moneyInput.parse("5000.00")).toBe(500000);
    expect(moneyInput.safeParse("-5").success).toBe(false);
    expect(moneyInput.safeParse(0).success).toBe(false);
    expect(moneyInput.safeParse("abc").success).toBe(false);
  });
});
