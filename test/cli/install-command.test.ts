import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The built CLI (npm run build), as a user runs it, against an empty cache of its own.
const cache = mkdtempSync(path.join(tmpdir(), "ldk-regtest-install-cli-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ["dist/cli/main.js", "install", ...args], {
    env: { ...env, LDK_REGTEST_CACHE: cache },
    encoding: "utf8",
  });

describe("ldk-regtest install: arguments checked before anything is installed", () => {
  it("--from-file with both bitcoind and lnd: one clear BAD_OPTION, nothing in the cache", () => {
    const run = cli(["bitcoind", "lnd", "--from-file", path.join(cache, "x.tar.gz"), "--json"]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: {
        code: "BAD_OPTION",
        option: "fromFile",
        message: "--from-file installs one daemon's tarball: run install bitcoind and install lnd separately",
      },
    });
    expect(readdirSync(cache)).toEqual([]);
  });

  it("an unknown daemon is refused, naming the three it knows", () => {
    const run = cli(["eclair", "--json"]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatchObject({
      code: "BAD_OPTION",
      known: ["bitcoind", "ldk-server", "lnd"],
      message: expect.stringMatching(/^unknown daemon eclair: name bitcoind, ldk-server and\/or lnd/),
    });
  });
});

describe("ldk-regtest install ldk-server --lsps2", () => {
  it("installs ldk-server's LSP build after the default one (here both fail: no cargo on PATH)", () => {
    const run = cli(["ldk-server", "--lsps2", "--json"], {
      PATH: path.dirname(process.execPath),
      HOME: cache,
    });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report.daemons)).toEqual(["ldk-server", "ldk-server-lsps2"]);
    for (const daemon of ["ldk-server", "ldk-server-lsps2"]) {
      expect(report.daemons[daemon].error).toMatch(/cargo not found: .*rustup/);
      const left = readdirSync(cache).includes(daemon) ? readdirSync(path.join(cache, daemon)) : [];
      expect(left).toEqual([]); // nothing half-installed
    }
  });
});
