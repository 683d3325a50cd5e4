import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { daemonEnv, renderLdkServerConfig } from "../../src/ldk-server/config.js";

const options = {
  storageDir: '/tmp/run "x"/alice',
  grpcPort: 40001,
  p2pPort: 40002,
  alias: "alice",
  bitcoind: { rpcAddress: "127.0.0.1:18443", rpcUser: "u", rpcPassword: 'p"w\\d' },
  logFile: "/tmp/run/alice/ldk-server.log",
};

describe("renderLdkServerConfig", () => {
  it("renders the keys ldk-server 7f3276a accepts, all bound to 127.0.0.1, with values escaped", () => {
    expect(parse(renderLdkServerConfig(options))).toEqual({
      node: {
        network: "regtest",
        listening_addresses: ["127.0.0.1:40002"],
        grpc_service_address: "127.0.0.1:40001",
        alias: "alice",
      },
      storage: { disk: { dir_path: '/tmp/run "x"/alice' } },
      bitcoind: { rpc_address: "127.0.0.1:18443", rpc_user: "u", rpc_password: 'p"w\\d' },
      log: { level: "Debug", file: "/tmp/run/alice/ldk-server.log" },
    });
  });

  it("merges extra settings, and refuses a key ldk-regtest owns by name", () => {
    const config = parse(
      renderLdkServerConfig({ ...options, extra: { log: { level: "Trace" }, node: { rgs_url: "x" } } }),
    );
    expect(config.log).toEqual({ level: "Trace", file: "/tmp/run/alice/ldk-server.log" });
    expect(config.node).toMatchObject({ rgs_url: "x", grpc_service_address: "127.0.0.1:40001" });
    expect(() =>
      renderLdkServerConfig({ ...options, extra: { node: { grpc_service_address: "0.0.0.0:1" } } }),
    ).toThrow(/config key node.grpc_service_address is set by ldk-regtest/);
    expect(() => renderLdkServerConfig({ ...options, extra: { bitcoind: { rpc_user: "x" } } })).toThrow(
      /config key bitcoind is set by ldk-regtest/,
    );
  });

  it("rejects an alias the daemon would truncate", () => {
    expect(() => renderLdkServerConfig({ ...options, alias: "x".repeat(33) })).toThrow(
      /longer than 32 bytes/,
    );
  });
});

describe("daemonEnv", () => {
  it("drops LDK_SERVER_* (which would override the TOML), sets the test knobs and keeps the rest", () => {
    expect(
      daemonEnv(
        { PATH: "/bin", LDK_SERVER_NODE_NETWORK: "bitcoin", HOME: "/root", RUST_BACKTRACE: "1" },
        { chainPollMs: 100, firstForwardMs: 0, sweepMs: 250 },
      ),
    ).toEqual({
      PATH: "/bin",
      HOME: "/root",
      LDK_REGTEST_KNOB_CHAIN_POLL_MS: "100",
      LDK_REGTEST_KNOB_FIRST_FORWARD_MS: "0",
      LDK_REGTEST_KNOB_SWEEP_MS: "250",
      RUST_BACKTRACE: "0",
    });
  });
});
