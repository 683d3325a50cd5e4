import { describe, expect, it } from "vitest";
import { PortInUseError, withFreePorts } from "../../src/processes/port-retry.js";

describe("withFreePorts", () => {
  it("retries with new ports after PortInUseError", async () => {
    const seen: number[][] = [];
    let next = 100;
    const result = await withFreePorts(
      2,
      async (ports) => {
        seen.push(ports);
        if (seen.length < 3) throw new PortInUseError("taken");
        return "started";
      },
      { pickPorts: async (n) => Array.from({ length: n }, () => next++) },
    );
    expect(result).toBe("started");
    expect(seen).toEqual([
      [100, 101],
      [102, 103],
      [104, 105],
    ]);
  });

  it("gives up after the last attempt and rethrows other errors at once", async () => {
    let calls = 0;
    await expect(
      withFreePorts(
        1,
        async () => {
          calls++;
          throw new PortInUseError("still taken");
        },
        { attempts: 3 },
      ),
    ).rejects.toThrow("still taken");
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withFreePorts(1, async () => {
        calls++;
        throw new Error("bad config");
      }),
    ).rejects.toThrow("bad config");
    expect(calls).toBe(1);
  });
});
