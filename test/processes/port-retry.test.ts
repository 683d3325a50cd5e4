import { describe, expect, it } from "vitest";
import {
  avoidingPorts,
  isBindFailure,
  PortInUseError,
  preferPorts,
  withFreePorts,
} from "../../src/processes/port-retry.js";

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

describe("isBindFailure", () => {
  it("recognises each daemon's way of saying a port is taken", () => {
    expect(isBindFailure("Error: Unable to bind to 127.0.0.1:18444 on this computer.")).toBe(true);
    expect(
      isBindFailure(
        "thread 'main' panicked at ldk-server/src/main.rs:359:14:\nFailed to bind listening port: Os { code: 98, kind: AddrInUse }",
      ),
    ).toBe(true);
    expect(
      isBindFailure(
        "[ERROR ldk_node:451] Failed to bind to 127.0.0.1:41789: Address already in use (os error 98)",
      ),
    ).toBe(true);
    expect(
      isBindFailure("unable to start server: listen tcp 127.0.0.1:9735: bind: address already in use"),
    ).toBe(true);
  });

  it("does not mistake other failures for a taken port", () => {
    expect(isBindFailure("thread 'main' panicked at src/main.rs:1:1:\nInvalid configuration")).toBe(false);
    expect(isBindFailure("Failed to start up LDK Node: ChainTipFetchFailed")).toBe(false);
  });
});

describe("port pickers", () => {
  const sequence = (...batches: number[][]) => {
    let i = 0;
    return async () => batches[i++] ?? [];
  };

  it("preferPorts offers the previous ports once, then fresh ones", async () => {
    const pick = preferPorts([18444, 18445], sequence([1, 2], [3, 4]));
    expect([await pick(2), await pick(2), await pick(2)]).toEqual([
      [18444, 18445],
      [1, 2],
      [3, 4],
    ]);
  });

  it("avoidingPorts draws again while a batch holds an avoided port", async () => {
    const pick = avoidingPorts([7, 9], sequence([1, 7], [9, 2], [3, 4], [5, 6]));
    expect([await pick(2), await pick(2)]).toEqual([
      [3, 4],
      [5, 6],
    ]);
  });
});
