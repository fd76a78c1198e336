import { describe, expect, it } from "vitest";

const toCents = (amount: string) => Math.round(Number(amount) * 100);

describe("toCents", () => {
  it("converts dollar strings to integer cents", () => {
    expect(toCents("49.99")).toBe(4999);
    expect(toCents("12")).toBe(1200);
  });

  // TODO: cover zero-decimal currencies (JPY) once we sell outside the US.
  it.todo("handles zero-decimal currencies");
});
