import { describe, expect, it } from "vitest";
import { devnetOperations } from "../../src/devnet/operations.js";
import type { Network } from "../../src/network/network.js";

/** alice pays; carol buys JIT channels from lsp. Records what the operations ask of the nodes. */
function lspNetwork() {
  const calls: string[] = [];
  const node = (name: string) => ({
    nodeId: `id-${name}`,
    events: { mark: () => 7 },
    payInvoice: async () => {
      calls.push(`${name}.payInvoice`);
      return { paymentId: "p" };
    },
    waitForPaymentOutcome: async () => "SUCCEEDED",
    client: {
      bolt11ReceiveViaJitChannel: async (request: { amountMsat: bigint }) => {
        calls.push(`${name}.bolt11ReceiveViaJitChannel ${request.amountMsat}`);
        return { invoice: "lnbcrt-jit" };
      },
    },
  });
  const nodes = { alice: node("alice"), lsp: node("lsp"), carol: node("carol") };
  const aborted: boolean[] = [];
  const net = {
    nodes,
    daemons: [],
    topology: { nodes: { alice: {}, lsp: { lsps2_service: {} }, carol: { lsps2_client: "lsp" } } },
    ldkServer: (name: keyof typeof nodes) => nodes[name],
    node: (name: keyof typeof nodes) => nodes[name],
    waitForJitChannel: (lsp: string, client: string, options: { since: number; signal: AbortSignal }) => {
      calls.push(`waitForJitChannel ${lsp} ${client} since ${options.since}`);
      return new Promise((_resolve, reject) =>
        options.signal.addEventListener("abort", () => {
          aborted.push(true);
          reject(options.signal.reason);
        }),
      );
    },
  };
  return { net: net as unknown as Network, calls, aborted };
}

const context = () => ({ signal: new AbortController().signal });

describe("devnet operations with an LSP", () => {
  it("invoice --jit asks the node for a JIT invoice through its LSP", async () => {
    const { net, calls } = lspNetwork();
    const result = await devnetOperations(net).invoice({ node: "carol", amount: "5000sat", jit: true });
    expect(result).toEqual({ node: "carol", amountMsat: 5_000_000n, invoice: "lnbcrt-jit", lsp: "lsp" });
    expect(calls).toEqual(["carol.bolt11ReceiveViaJitChannel 5000000"]);
  });

  it("invoice --jit on a node without an LSP is refused before anything is sent, naming the fix", async () => {
    const { net, calls } = lspNetwork();
    const error = await devnetOperations(net)
      .invoice({ node: "alice", amount: "5000sat", jit: true })
      .catch((e) => e);
    expect(error.code).toBe("BAD_OPTION");
    expect(error.message).toMatch(/alice has no LSP .*lsps2_client = "<lsp>"/);
    expect(calls).toEqual([]);
  });

  it("pay watches each LSP for a JIT channel to its client while the payment is out, and stops after", async () => {
    const { net, calls, aborted } = lspNetwork();
    const result = await devnetOperations(net).pay({ node: "alice", target: "lnbcrt1jit" }, context());
    expect(result).toEqual({ node: "alice", paymentId: "p", status: "SUCCEEDED" });
    expect(calls).toEqual(["waitForJitChannel lsp carol since 7", "alice.payInvoice"]);
    expect(aborted).toEqual([true]);
  });
});
