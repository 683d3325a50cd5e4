import { describe, expect, it, vi } from "vitest";
import { hasCode } from "../../src/common/errors.js";
import type { OperationContext } from "../../src/devnet/control.js";
import { devnetOperations } from "../../src/devnet/operations.js";
import type { Network } from "../../src/network/network.js";

/** A network whose every call is recorded: what the operations would send, and to whom. */
function fakeNetwork({ spendable = 2_000_000n } = {}) {
  const sent: string[] = [];
  const record =
    (what: string, value: unknown = undefined) =>
    async (...args: unknown[]) => {
      sent.push(`${what} ${JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`);
      return value;
    };
  const node = (id: string, name: string, kind = "ldk-server") => ({
    kind,
    nodeName: name,
    nodeId: id,
    storageDir: `/d/${id}`,
    balances: async () => ({
      totalOnchainSats: spendable,
      spendableOnchainSats: spendable,
      lightningSats: 0n,
    }),
    newAddress: record(`${id}.newAddress`, `bcrt1${id}`),
    payInvoice: record(`${id}.payInvoice`, { paymentId: "p" }),
    waitForPaymentOutcome: async () => "SUCCEEDED",
    listChannels: async () => [],
    client: { bolt12Send: record(`${id}.bolt12Send`, { paymentId: "o" }) },
  });
  const nodes: Record<string, ReturnType<typeof node>> = {
    alice: node("a", "alice"),
    bob: node("b", "bob"),
    erin: node("e", "erin", "lnd"),
  };
  const net = {
    nodes,
    node: (name: string) => nodes[name],
    bitcoind: { rpc: { getBlockCount: async () => 101 } },
    mine: vi.fn(record("net.mine")),
    fund: record("fund", "txid"),
    openChannel: record("openChannel", {
      opener: { channelId: "c", implementationId: "u", isUsable: true },
      acceptor: { isUsable: true },
    }),
  };
  return { net: net as unknown as Network, sent };
}

const context = (): OperationContext => ({ signal: new AbortController().signal });
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("not refused"),
    (e: unknown) => e,
  );

describe("the supervisor's operations refuse bad arguments before sending anything", () => {
  it("mine 100000: BAD_OPTION naming the limit; nothing mined", async () => {
    const { net, sent } = fakeNetwork();
    const ops = devnetOperations(net);
    const error = await refusal(ops.mine({ blocks: 100_000 }, context()));
    expect(hasCode(error, "BAD_OPTION")).toBe(true);
    expect((error as Error).message).toMatch(/above the maximum of 1000/);
    expect(await refusal(ops.mine({ blocks: "abc" }, context()))).toMatchObject({
      code: "BAD_OPTION",
    });
    expect(sent).toEqual([]);
  });

  it("mine 250 is passed to the Network (which mines in short calls) with the caller's signal", async () => {
    const { net, sent } = fakeNetwork();
    const ctx = context();
    expect(await devnetOperations(net).mine({ blocks: 250 }, ctx)).toEqual({ blocks: 250, height: 101 });
    expect(sent).toEqual(['net.mine [250,{"signal":{}}]']);
    expect(vi.mocked(net.mine).mock.calls[0]?.[1]?.signal).toBe(ctx.signal);
  });

  it("fund bob 0 and fund dave: refused, nothing sent", async () => {
    const { net, sent } = fakeNetwork();
    const ops = devnetOperations(net);
    const dust = await refusal(ops.fund({ node: "bob", sats: 0 }, context()));
    expect(dust).toMatchObject({ code: "BAD_OPTION", data: { option: "sats", min: 546 } });
    expect(await refusal(ops.fund({ node: "dave", sats: 10_000 }, context()))).toMatchObject({
      code: "UNKNOWN_NODE",
      data: { node: "dave", nodes: ["alice", "bob", "erin"] },
    });
    expect(sent).toEqual([]);
    await ops.fund({ node: "bob", sats: 10_000 }, context());
    expect(sent).toEqual([expect.stringMatching(/^b\.newAddress/), expect.stringMatching(/^fund /)]);
  });

  it("open alice alice, a too small channel and one alice cannot afford: refused, nothing sent", async () => {
    const { net, sent } = fakeNetwork({ spendable: 100_000n });
    const ops = devnetOperations(net);
    const self = await refusal(ops.open({ from: "alice", to: "alice", sats: 100_000 }, context()));
    expect(self).toMatchObject({ code: "BAD_OPTION" });
    expect((self as Error).message).toMatch(/a channel from alice to itself/);
    expect(await refusal(ops.open({ from: "alice", to: "bob", sats: 1000 }, context()))).toMatchObject({
      code: "BAD_OPTION",
      data: { option: "sats" },
    });
    const poor = await refusal(ops.open({ from: "alice", to: "bob", sats: 90_000 }, context()));
    expect((poor as Error).message).toMatch(/alice can spend 100000 sat on-chain/);
    expect(await refusal(ops.open({ from: "alice", to: "carol", sats: 50_000 }, context()))).toMatchObject({
      code: "UNKNOWN_NODE",
    });
    expect(sent).toEqual([]);
  });

  it("open passes the checked channel on", async () => {
    const { net, sent } = fakeNetwork();
    const result = await devnetOperations(net).open(
      { from: "alice", to: "bob", sats: 100_000, push: 1000, private: true },
      context(),
    );
    expect(result).toEqual({
      from: "alice",
      to: "bob",
      sats: 100_000,
      channelId: "c",
      implementationId: "u",
      usable: true,
    });
    expect(sent).toEqual([
      expect.stringContaining(
        'openChannel ["alice","bob",{"sats":100000,"announce":false,"pushMsat":"1000000n"',
      ),
    ]);
  });

  it("pay and invoice check their arguments first", async () => {
    const { net, sent } = fakeNetwork();
    const ops = devnetOperations(net);
    expect(await refusal(ops.pay({ node: "alice", target: "not-an-invoice" }, context()))).toMatchObject({
      code: "BAD_OPTION",
    });
    expect(await refusal(ops.invoice({ node: "bob", amount: "50" }))).toMatchObject({ code: "BAD_OPTION" });
    expect(await refusal(ops.close({ from: "bob", to: "bob" }, context()))).toMatchObject({
      code: "BAD_OPTION",
    });
    expect(sent).toEqual([]);
  });
});

describe("the operations drive every node kind through the common node surface", () => {
  it("an offer for an lnd payer is refused (BOLT12 is ldk-server's) before anything is sent", async () => {
    const { net, sent } = fakeNetwork();
    const ops = devnetOperations(net);
    const offer = "lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrc";
    const error = await refusal(ops.pay({ node: "erin", target: offer }, context()));
    expect(error).toMatchObject({ code: "BAD_OPTION", data: { node: "erin", kind: "lnd" } });
    expect((error as Error).message).toMatch(
      /erin is an lnd node, which does not pay BOLT12 offers: pay a BOLT11 invoice/,
    );
    expect(sent).toEqual([]);
    expect(await ops.pay({ node: "alice", target: offer }, context())).toEqual({
      node: "alice",
      paymentId: "o",
      status: "SUCCEEDED",
    });
    expect(await ops.pay({ node: "erin", target: "lnbcrt1invoice" }, context())).toMatchObject({
      paymentId: "p",
      status: "SUCCEEDED",
    });
    expect(sent).toEqual([expect.stringMatching(/^a\.bolt12Send/), 'e.payInvoice ["lnbcrt1invoice"]']);
  });

  it("status: a node that does not answer is shown DOWN with why; the others still are", async () => {
    const { net } = fakeNetwork();
    const erin = net.nodes.erin as unknown as { balances: () => Promise<never>; exitInfo?: unknown };
    erin.balances = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8080\nmore");
    };
    const status = await devnetOperations(net).status();
    expect(status.nodes.erin).toMatchObject({
      kind: "lnd",
      alive: false,
      error: "connect ECONNREFUSED 127.0.0.1:8080",
      channels: [],
    });
    expect(status.nodes.erin?.onchainSats).toBeUndefined();
    expect(status.nodes.alice).toMatchObject({ alive: true, onchainSats: 2_000_000n, channels: [] });
    erin.exitInfo = { code: null, signal: "SIGKILL" };
    expect((await devnetOperations(net).status()).nodes.erin?.error).toBe("it is not running");
  });
});
