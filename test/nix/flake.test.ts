import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { LDK_SERVER_UPSTREAM } from "../../src/ldk-server/upstream.js";

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

  it("pins the client's ldk-server rev and hash, and the dev shell has the daemons, Node and just", () => {
    // Evaluated offline with stand-in inputs (nix/check-flake.nix); no fetching or building.
    const out = execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "nix/check-flake.nix"], {
      encoding: "utf8",
    });
    const { devShell, ldkServer } = JSON.parse(out);
    expect(devShell).toEqual(["bitcoind", "ldk-server", "nodejs", "just"]);
    expect(ldkServer).toEqual({
      owner: "lightningdevkit",
      repo: "ldk-server",
      rev: LDK_SERVER_UPSTREAM.rev,
      hash: LDK_SERVER_UPSTREAM.hash,
      cargoBuildFlags: ["-p", "ldk-server"],
      allowBuiltinFetchGit: true,
      gitHash: LDK_SERVER_UPSTREAM.rev,
      isDefault: true,
    });
  });
});
