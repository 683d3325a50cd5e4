import { readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LdkRegtestError } from "../../src/common/errors.js";
import { Network } from "../../src/network/network.js";
import { checkTopology, FUNDING_MARGIN_SATS, fundingOf, loadTopology } from "../../src/network/topology.js";

const THREE = `
[nodes.alice]
onchain_sats = 2_000_000
[nodes.bob]
onchain_sats = 1_000_000
[nodes.carol]

[[channels]]
from = "alice"
to = "bob"
sats = 1_000_000
push_sats = 0
announce = true

[[channels]]
from = "bob"
to = "carol"
sats = 500_000
`;

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function file(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-topology-"));
  dirs.push(dir);
  const f = path.join(dir, "ldk-regtest.toml");
  await writeFile(f, text);
  return f;
}

describe("topology", () => {
  it("reads the issue's three-node file and funds carol (no channels of her own) with the margin", async () => {
    const topology = await loadTopology(await file(THREE));
    expect(Object.keys(topology.nodes)).toEqual(["alice", "bob", "carol"]);
    expect(topology.channels).toHaveLength(2);
    expect(fundingOf(topology)).toEqual({ alice: 2_000_000, bob: 1_000_000, carol: FUNDING_MARGIN_SATS });
  });

  it("funds a node by default with its channels' capacity plus the margin", () => {
    const topology = checkTopology({
      nodes: { a: {}, b: {} },
      channels: [
        { from: "a", to: "b", sats: 300_000 },
        { from: "a", to: "b", sats: 200_000 },
      ],
    });
    expect(fundingOf(topology).a).toBe(500_000 + FUNDING_MARGIN_SATS);
  });

  it.each([
    [
      { nodes: { a: {} }, channels: [{ from: "a", to: "dave", sats: 1 }] },
      /channels\[0\]\.to: unknown node "dave" \(nodes: a\)/,
    ],
    [
      { nodes: { a: { onchain_sats: 100_000 }, b: {} }, channels: [{ from: "a", to: "b", sats: 1_000_000 }] },
      /nodes\.a\.onchain_sats: 100000 sat cannot fund its channels \(1000000 sat\)/,
    ],
    [
      { nodes: { a: {}, b: {} }, channels: [{ from: "a", to: "a", sats: 1 }] },
      /channels\[0\]: a channel from a to itself/,
    ],
    [
      { nodes: { a: {}, b: {} }, channels: [{ from: "a", to: "b", sats: 10, push_sats: 10 }] },
      /push_sats: must be less/,
    ],
    [
      { nodes: { a: {}, b: {} }, channels: [{ from: "a", to: "b", sats: -5 }] },
      /channels\[0\]\.sats: expected a whole number of sats ≥ 1/,
    ],
    [
      { nodes: { a: { onchain: 5 } } },
      /nodes\.a\.onchain: unknown key \(known: kind, onchain_sats, alias, config, lsps2_service, lsps2_client\)/,
    ],
    [{ nodes: { a: { kind: "cln" } } }, /nodes\.a\.kind: unknown node kind "cln" \(known: ldk-server, lnd\)/],
    [{ nodes: { Alice: {} } }, /nodes: bad node name "Alice"/],
    [{ nodes: { bitcoind: {} } }, /node name "bitcoind" is taken/],
    [{ nodes: {} }, /nodes: at least one \[nodes.<name>\] table/],
    [{ nodes: { a: {} }, chanels: [] }, /chanels: unknown key \(known: nodes, channels\)/],
  ])("refuses %j naming the key", (topology, message) => {
    expect(() => checkTopology(topology)).toThrow(message);
  });

  const lsp = { lsps2_service: {} };
  it.each([
    [
      { nodes: { carol: { lsps2_client: "bob" } } },
      "nodes.carol.lsps2_client",
      /unknown node "bob" \(no node has lsps2_service\)/,
    ],
    [
      { nodes: { bob: {}, carol: { lsps2_client: "bob" } } },
      "nodes.carol.lsps2_client",
      /"bob" is not an LSP: give it lsps2_service = \{\}/,
    ],
    [
      { nodes: { lsp, carol: { lsps2_client: "carol" } } },
      "nodes.carol.lsps2_client",
      /cannot be its own LSP/,
    ],
    [
      { nodes: { lsp, carol: { lsps2_client: "toString" } } },
      "nodes.carol.lsps2_client",
      /unknown node "toString" \(LSPs: lsp\)/,
    ],
    [
      { nodes: { lsp, carol: { lsps2_client: 7 } } },
      "nodes.carol.lsps2_client",
      /expected the name of an LSP node \(LSPs: lsp\)/,
    ],
    [
      { nodes: { lsp: { kind: "lnd", lsps2_service: {} } } },
      "nodes.lsp.kind",
      /an LSPS2 service needs a node of kind ldk-server, not lnd/,
    ],
    [
      { nodes: { lsp, dave: { kind: "lnd", lsps2_client: "lsp" } } },
      "nodes.dave.kind",
      /an LSPS2 client needs a node of kind ldk-server, not lnd/,
    ],
    [
      { nodes: { lsp: { ...lsp, lsps2_client: "lsp2" }, lsp2: lsp } },
      "nodes.lsp.lsps2_client",
      /an LSP cannot also be a client/,
    ],
    [
      { nodes: { lsp: { ...lsp, config: { liquidity: {} } } } },
      "nodes.lsp.config.liquidity",
      /set by lsps2_service/,
    ],
    [
      { nodes: { lsp: { lsps2_service: true } } },
      "nodes.lsp.lsps2_service",
      /expected a table of the LSP's terms/,
    ],
    [
      { nodes: { lsp: { lsps2_service: { fee: 1 } } } },
      "nodes.lsp.lsps2_service.fee",
      /unknown key \(known: channel_opening_fee_ppm, /,
    ],
    [
      { nodes: { lsp: { lsps2_service: { channel_opening_fee_ppm: 2 ** 32 } } } },
      "nodes.lsp.lsps2_service.channel_opening_fee_ppm",
      /from 0 to 4294967295/,
    ],
    [
      { nodes: { lsp: { lsps2_service: { min_payment_size_msat: -1 } } } },
      "nodes.lsp.lsps2_service.min_payment_size_msat",
      /expected a whole number/,
    ],
    [
      { nodes: { lsp: { lsps2_service: { client_trusts_lsp: "yes" } } } },
      "nodes.lsp.lsps2_service.client_trusts_lsp",
      /expected true or false/,
    ],
    [
      { nodes: { lsp: { lsps2_service: { require_token: "" } } } },
      "nodes.lsp.lsps2_service.require_token",
      /non-empty string/,
    ],
    [
      { nodes: { lsp: { lsps2_service: { min_payment_size_msat: 2, max_payment_size_msat: 1 } } } },
      "nodes.lsp.lsps2_service.min_payment_size_msat",
      /above max_payment_size_msat 1/,
    ],
  ])("refuses the LSPS2 roles of %j as BAD_TOPOLOGY at %s", (topology, key, message) => {
    const error = (() => {
      try {
        checkTopology(topology);
      } catch (e) {
        return e as LdkRegtestError;
      }
    })();
    expect(error?.code).toBe("BAD_TOPOLOGY");
    expect(error?.data?.path).toBe(key);
    expect(error?.message).toMatch(message);
  });

  it("accepts an LSP with the test defaults and a client naming it", () => {
    const topology = checkTopology({
      nodes: { alice: {}, lsp: { lsps2_service: {} }, carol: { lsps2_client: "lsp" } },
    });
    expect(topology.nodes.carol?.lsps2_client).toBe("lsp");
  });

  it("carries the key path as data, with code BAD_TOPOLOGY", () => {
    const bad = { nodes: { a: {}, b: {} }, channels: [{ from: "a", to: "zed", sats: 5 }] };
    const error = (() => {
      try {
        checkTopology(bad);
      } catch (e) {
        return e as LdkRegtestError;
      }
    })();
    expect(error).toBeInstanceOf(LdkRegtestError);
    expect(error?.code).toBe("BAD_TOPOLOGY");
    expect(error?.data).toMatchObject({ path: "channels[0].to", source: "topology" });
  });

  it("refuses a file that names a node twice, naming the file", async () => {
    const f = await file("[nodes.alice]\n[nodes.alice]\n");
    await expect(loadTopology(f)).rejects.toThrow(new RegExp(`^${f}: .*`));
  });

  it("Network.start refuses a bad topology before anything starts (no run dir)", async () => {
    const runDirs = () =>
      readdirSync(tmpdir()).filter((d) => d.startsWith("ldk-regtest-") && !d.includes("topology")).length;
    const before = runDirs();
    await expect(
      Network.start({ topology: { nodes: { a: {} }, channels: [{ from: "a", to: "zed", sats: 1 }] } }),
    ).rejects.toThrow(/unknown node "zed"/);
    await expect(Network.start({ topology: "/nonexistent/ldk-regtest.toml" })).rejects.toThrow(
      /cannot read topology/,
    );
    expect(runDirs()).toBe(before);
  });
});
