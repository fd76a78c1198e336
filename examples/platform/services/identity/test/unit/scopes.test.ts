import { describe, expect, it } from "vitest";

const parseScope = (scope: string) => scope.split(" ").filter(Boolean);

describe("parseScope", () => {
  it("splits a space-delimited scope string", () => {
    expect(parseScope("payments:read  identity:read")).toEqual(["payments:read", "identity:read"]);
  });
});
