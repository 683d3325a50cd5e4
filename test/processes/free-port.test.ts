import { describe, expect, it } from "vitest";
import { freePorts } from "../../src/processes/free-port.js";

describe("freePorts", () => {
  it("never hands out the same port twice in a row, even to concurrent callers", async () => {
    const batches = await Promise.all(Array.from({ length: 16 }, () => freePorts(2)));
    const all = batches.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p).toBeGreaterThan(1024);
  });
});
