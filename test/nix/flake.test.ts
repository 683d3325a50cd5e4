import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { testBuildGitHash } from "../../src/ldk-server/test-knobs.js";
import { LDK_SERVER_UPSTREAM } from "../../src/ldk-server/upstream.js";
import { LND_VERSION } from "../../src/lnd/executable.js";

const nix = (() => {
  try {
    execFileSync("nix-instantiate", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    console.warn("\n!!! flake checks SKIPPED: nix-instantiate not found (Debian: apt-get install nix-bin)");
    return false;
  }
})();

describe.skipIf(!nix)(`flake.nix${nix ? "" : " — SKIPPED: nix-instantiate not found"}`, () => {
  it("parses", () => {
    execFileSync("nix-instantiate", ["--parse", "flake.nix"], { stdio: "ignore" });
  });

  it("pins the client's ldk-server rev and hash and lnd's version, and the dev shell has the daemons, Node and just", () => {
    // Evaluated offline with stand-in inputs (nix/check-flake.nix); no fetching or building.
    const out = execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "nix/check-flake.nix"], {
      encoding: "utf8",
    });
    const { devShell, darwinDevShell, ldkServer, lnd } = JSON.parse(out);
    expect(devShell).toEqual(["bitcoind", "ldk-server", `lnd-${LND_VERSION.slice(1)}`, "nodejs", "just"]);
    expect(darwinDevShell).toEqual(["bitcoind", "ldk-server", "nodejs", "just"]);
    // lnd's release tarball of the version the harness looks for, checked against its pinned sum.
    const release = `https://github.com/lightningnetwork/lnd/releases/download/${LND_VERSION}`;
    expect(lnd).toEqual({
      version: LND_VERSION.slice(1),
      "x86_64-linux": {
        url: `${release}/lnd-linux-amd64-${LND_VERSION}.tar.gz`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      "aarch64-linux": {
        url: `${release}/lnd-linux-arm64-${LND_VERSION}.tar.gz`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(ldkServer).toEqual({
      owner: "lightningdevkit",
      repo: "ldk-server",
      rev: LDK_SERVER_UPSTREAM.rev,
      hash: LDK_SERVER_UPSTREAM.hash,
      cargoBuildFlags: ["-p", "ldk-server"],
      allowBuiltinFetchGit: true,
      gitHash: testBuildGitHash(LDK_SERVER_UPSTREAM.rev),
      postPatch: expect.stringMatching(
        /patch -p1 -d .*ldk-node-\*.* < \/nix\/store\/.*ldk-node-test-knobs\.patch/,
      ),
      isDefault: true,
    });
  });
});
