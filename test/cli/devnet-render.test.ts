import { describe, expect, it } from "vitest";
import {
  renderDown,
  renderLine,
  renderStatus,
  renderUpReport,
  type StatusResult,
  table,
} from "../../src/cli/devnet-render.js";
import { daveConnection } from "../support/connections.js";

const node = (nodeId: string, channels: StatusResult["nodes"][string]["channels"]) => ({
  kind: "ldk-server" as const,
  nodeId,
  grpcAddress: "127.0.0.1:3001",
  p2pAddress: "127.0.0.1:9735",
  tlsCertPath: `/d/${nodeId}/tls.crt`,
  apiKeyPath: `/d/${nodeId}/regtest/api_key`,
  configPath: `/d/${nodeId}/config.toml`,
  logPath: `/d/${nodeId}/ldk-server.log`,
  alive: true,
  onchainSats: "1000000",
  spendableSats: "975000",
  lightningSats: "0",
  channels,
});
const channel = {
  channelId: "c1",
  sats: "500000",
  outboundMsat: "480000000",
  inboundMsat: "10000000",
  usable: true,
  announced: true,
};
const status: StatusResult = {
  height: 120,
  bitcoind: { alive: true, rpcAddress: "127.0.0.1:18443" },
  nodes: {
    alice: node("02aa", [{ ...channel, peer: "bob", outbound: true }]),
    bob: {
      ...node("03bb", [{ ...channel, peer: "alice", outbound: false, usable: false, announced: false }]),
      alive: false,
    },
    carol: node("02cc", []),
    dave: {
      ...daveConnection,
      alive: false,
      error: "it is not running",
      channels: [],
    },
  },
};

describe("devnet rendering", () => {
  it("status: the chain, then each node's balances and channels", () => {
    expect(renderStatus(status)).toBe(
      [
        "bitcoind up  block height 120  RPC 127.0.0.1:18443",
        "alice up  on-chain 1000000 sat (975000 spendable), lightning 0 sat",
        "  → bob  500000 sat  out 480000 / in 10000 sat  usable",
        "bob DOWN  on-chain 1000000 sat (975000 spendable), lightning 0 sat",
        "  ← alice  500000 sat  out 480000 / in 10000 sat  not usable  private",
        "carol up  on-chain 1000000 sat (975000 spendable), lightning 0 sat",
        "  (no channels)",
        "dave (lnd) DOWN  no answer: it is not running  (log: /d/dave/lnd.log)",
      ].join("\n"),
    );
  });

  it("up's report: the --json object and a table with the channels", () => {
    const { json, human } = renderUpReport("/d", status);
    expect(json).toEqual({
      dir: "/d",
      nodes: {
        alice: {
          kind: "ldk-server",
          nodeId: "02aa",
          grpcAddress: "127.0.0.1:3001",
          p2pAddress: "127.0.0.1:9735",
          tlsCertPath: "/d/02aa/tls.crt",
          apiKeyPath: "/d/02aa/regtest/api_key",
        },
        bob: expect.objectContaining({ nodeId: "03bb" }),
        carol: expect.objectContaining({ nodeId: "02cc" }),
        // what lncli and REST clients take; not its config, log or anything secret
        dave: {
          kind: "lnd",
          nodeId: "03dd",
          grpcAddress: "127.0.0.1:10009",
          restAddress: "127.0.0.1:8080",
          p2pAddress: "127.0.0.1:9736",
          tlsCertPath: daveConnection.tlsCertPath,
          macaroonPath: daveConnection.macaroonPath,
        },
      },
      channels: [{ from: "alice", to: "bob", sats: 500_000, usable: true }],
    });
    const lines = (human ?? "").split("\n");
    expect([lines[0], lines[1], lines[4]]).toEqual([
      "name   kind        node id  gRPC             P2P             TLS cert          API key / macaroon",
      "alice  ldk-server  02aa     127.0.0.1:3001   127.0.0.1:9735  /d/02aa/tls.crt   /d/02aa/regtest/api_key",
      "dave   lnd         03dd     127.0.0.1:10009  127.0.0.1:9736  /d/dave/tls.cert  /d/dave/admin.macaroon",
    ]);
    expect(human).toContain("channels:\n  alice → bob  500000 sat  usable\n");
    expect(human).toMatch(/connection files: \/d\/connections\.json, \/d\/<node>\.env$/);
  });

  it("a table pads every column to its widest cell", () => {
    expect(
      table([
        ["a", "bb"],
        ["ccc", "d"],
      ]),
    ).toBe("a    bb\nccc  d");
  });

  it("every operation prints a human line", () => {
    expect(renderLine.mine({ blocks: 1, height: 7 })).toBe("mined 1 block: height 7, every node synced");
    expect(renderLine.mine({ blocks: 6, height: 12 })).toBe("mined 6 blocks: height 12, every node synced");
    expect(renderLine.fund({ node: "bob", sats: 500_000, txid: "t", address: "bcrt1q" })).toBe(
      "sent 500000 sat to bob (bcrt1q) in t: confirmed and spendable",
    );
    expect(
      renderLine.open({
        from: "carol",
        to: "alice",
        sats: 300_000,
        channelId: "c",
        implementationId: "u",
        usable: true,
      }),
    ).toBe("channel carol → alice of 300000 sat usable on both sides (channel id c)");
    expect(renderLine.invoice({ node: "carol", amountMsat: "1", invoice: "lnbcrt1", paymentHash: "h" })).toBe(
      "lnbcrt1",
    );
    expect(renderLine.pay({ node: "alice", paymentId: "p", status: "SUCCEEDED" })).toBe(
      "alice paid: payment p SUCCEEDED",
    );
    expect(renderLine.close({ from: "alice", to: "bob", channelId: "c", state: "CLOSED" })).toBe(
      "closed the channel alice → bob (c): closing transaction confirmed",
    );
    expect(renderDown("/d", true, false)).toEqual({
      json: { dir: "/d", stopped: true, purged: false },
      human: "stopped the network in /d; its state stays for the next up",
    });
    expect(renderDown("/d", false, true).human).toBe("no network was up in /d; deleted it");
  });
});
