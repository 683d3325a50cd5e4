import { describe, expect, it } from "vitest";
import type { NetworkContext } from "../../src/network/network-context.js";
import { reorg } from "../../src/network/reorg.js";

/** A chain of `height` blocks, one transaction in the last; records every RPC method called. */
function fakeChain(height: number) {
  const calls: string[] = [];
  const call = async (method: string, params: unknown[] = []) => {
    calls.push(method);
    if (method === "getblockhash") return `hash-${String(params[0])}`;
    if (method === "getblock")
      return { tx: ["coinbase", ...(params[0] === `hash-${height}` ? ["tx-a"] : [])] };
    throw new Error(`unexpected ${method}`);
  };
  const rpc = { call, getBlockCount: async () => height, getRawMempool: async () => ["tx-m"] };
  const net = {
    bitcoind: { rpc },
    nodeList: [],
    waitFor: async () => undefined,
  } as unknown as NetworkContext;
  return { net, calls };
}

describe("reorg refuses what cannot work before touching the chain", () => {
  it.each([0, -1, 1.5, 200, 150])("depth %s on a chain of 150 blocks", async (depth) => {
    const { net, calls } = fakeChain(150);
    await expect(reorg(net, depth)).rejects.toMatchObject({ code: "BAD_OPTION", data: { option: "depth" } });
    expect(calls).not.toContain("invalidateblock");
  });

  it("a new chain that is not longer than the one it replaces", async () => {
    const { net, calls } = fakeChain(150);
    await expect(reorg(net, 3, { blocks: 3 })).rejects.toMatchObject({ data: { option: "blocks" } });
    expect(calls).toEqual([]);
  });

  it("dropping a transaction the reorg does not replace (named in the error)", async () => {
    const { net, calls } = fakeChain(150);
    const error = await reorg(net, 2, { drop: ["tx-a", "tx-elsewhere"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_OPTION", data: { option: "drop", value: "tx-elsewhere" } });
    expect((error as Error).message).toContain(
      "cannot drop tx-elsewhere: not confirmed in the last 2 blocks",
    );
    expect(calls).not.toContain("invalidateblock");
  });
});
