import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { kindOf } from "../../src/kinds/registry.js";
import { renderLdkServerConfig } from "../../src/ldk-server/config.js";
import {
  jitOpeningFeeMsat,
  LSPS2_SERVICE_DEFAULTS,
  lsps2ClientTable,
  lsps2ServiceTable,
} from "../../src/ldk-server/lsps2.js";
import { Network } from "../../src/network/network.js";
import type { NodeSpec } from "../../src/node/topology-spec.js";

const work = mkdtempSync(path.join(tmpdir(), "ldk-regtest-lsps2-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("LSPS2 opening fee", () => {
  it("is the proportional fee rounded up, at least the minimum", () => {
    const terms = { channel_opening_fee_ppm: 100, min_channel_opening_fee_msat: 1_000 };
    expect(jitOpeningFeeMsat(50_000_000n, terms)).toBe(5_000n); // 50,000 sat × 100 ppm
    expect(jitOpeningFeeMsat(50_000_001n, terms)).toBe(5_001n); // rounded up
    expect(jitOpeningFeeMsat(5_000_000n, terms)).toBe(1_000n); // 500 msat proportional: the floor
    expect(jitOpeningFeeMsat(5_000_000n, { channel_opening_fee_ppm: 10_000 })).toBe(50_000n);
  });

  it("takes the test defaults when no terms are given", () => {
    const ppm = BigInt(LSPS2_SERVICE_DEFAULTS.channel_opening_fee_ppm);
    expect(jitOpeningFeeMsat(123_450_000n)).toBe((123_450_000n * ppm) / 1_000_000n);
  });
});

describe("LSPS2 config tables", () => {
  it("an LSP's service table has every key ldk-server requires, defaults filled in", () => {
    const table = lsps2ServiceTable({ channel_opening_fee_ppm: 7, require_token: "t0k" });
    expect(Object.keys(table).sort()).toEqual(
      [
        "advertise_service",
        "channel_opening_fee_ppm",
        "channel_over_provisioning_ppm",
        "min_channel_opening_fee_msat",
        "min_channel_lifetime",
        "max_client_to_self_delay",
        "min_payment_size_msat",
        "max_payment_size_msat",
        "client_trusts_lsp",
        "disable_client_reserve",
        "require_token",
      ].sort(),
    );
    expect(table).toMatchObject({
      channel_opening_fee_ppm: 7,
      client_trusts_lsp: false,
      require_token: "t0k",
    });
  });

  it("a client's table names the LSP as it runs, with the LSP's token if it requires one", () => {
    const lsp = { nodeId: "02ab", p2pAddress: "127.0.0.1:4001" };
    expect(lsps2ClientTable(lsp, {})).toEqual({ node_pubkey: "02ab", address: "127.0.0.1:4001" });
    expect(lsps2ClientTable(lsp, { require_token: "t0k" })).toMatchObject({ token: "t0k" });
  });

  it("ends up as [liquidity.lsps2_service] in the daemon's config", () => {
    const config = renderLdkServerConfig({
      storageDir: "/tmp/x",
      grpcPort: 1,
      p2pPort: 2,
      alias: "lsp",
      bitcoind: { rpcAddress: "127.0.0.1:3", rpcUser: "u", rpcPassword: "p" },
      logFile: "/tmp/x/log",
      liquidity: { lsps2_service: lsps2ServiceTable({}) },
    });
    expect(parse(config)).toMatchObject({
      liquidity: { lsps2_service: { advertise_service: false, channel_opening_fee_ppm: 100 } },
    });
  });
});

describe("which build a node runs", () => {
  it("an LSP runs ldk-server's LSP build; its clients and other nodes their kind's", () => {
    const topology = {
      nodes: { lsp: { lsps2_service: {} }, carol: { lsps2_client: "lsp" }, dave: { kind: "lnd" as const } },
    };
    const build = (spec: NodeSpec | undefined) => kindOf(spec).executableFor(spec).spec.name;
    expect(
      ["lsp", "carol", "dave"].map((n) => build(topology.nodes[n as keyof typeof topology.nodes])),
    ).toEqual(["ldk-server-lsps2", "ldk-server", "lnd"]);
    expect(build(undefined)).toBe("ldk-server");
  });

  it("without the LSP build, Network.start names the install command and the variable, before anything starts", async () => {
    // Stand-ins for the two daemons that are found; the LSP build points nowhere.
    const bin = path.join(work, "bin");
    mkdirSync(bin, { recursive: true });
    const fake = (name: string, version: string) => {
      const file = path.join(bin, name);
      writeFileSync(file, `#!/bin/sh\necho "${version}"\n`);
      chmodSync(file, 0o755);
      return file;
    };
    const saved = { ...process.env };
    process.env.BITCOIND_EXE = fake("bitcoind", "Bitcoin Core daemon version v31.0.0");
    process.env.LDK_SERVER_EXE = fake("ldk-server", "ldk-server 0.1.0 (7f3276a)");
    process.env.LDK_SERVER_LSPS2_EXE = path.join(work, "missing", "ldk-server");
    const runDirs = () => readdirSync(tmpdir()).filter((d) => /^ldk-regtest-(?!lsps2-)/.test(d)).length;
    const before = runDirs();
    try {
      const error = await Network.start({
        topology: { nodes: { lsp: { lsps2_service: {} }, carol: { lsps2_client: "lsp" } } },
      }).catch((e) => e);
      expect(error.code).toBe("MISSING_EXECUTABLE");
      expect(error.message).toMatch(/npx ldk-regtest install ldk-server --lsps2/);
      expect(error.message).toMatch(/LDK_SERVER_LSPS2_EXE/);
      expect(runDirs()).toBe(before);
    } finally {
      process.env = saved;
    }
  });
});
