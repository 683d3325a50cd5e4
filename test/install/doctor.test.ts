import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { doctor } from "../../src/kinds/doctor.js";
import { testBuildGitHash, testBuildVersion } from "../../src/ldk-server/test-knobs.js";
import { LDK_SERVER_UPSTREAM } from "../../src/ldk-server/upstream.js";

// Stand-in binaries that answer their version flag, placed where each source would hold them.
const work = mkdtempSync(path.join(tmpdir(), "ldk-regtest-doctor-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const REV = LDK_SERVER_UPSTREAM.rev;

function fake(dir: string, name: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho "${version}"\n`);
  chmodSync(file, 0o755);
  return file;
}

const cache = path.join(work, "cache");
const bitcoindIn = (dir: string) => fake(dir, "bitcoind", "Bitcoin Core daemon version v31.0.0");
const ldkIn = (dir: string, rev = REV) => fake(dir, "ldk-server", `ldk-server 0.1.0 (${rev})`);
const onPath = path.join(work, "path");
const cachedBitcoind = bitcoindIn(path.join(cache, "bitcoind", "31.0", "bin"));
const pathBitcoind = bitcoindIn(onPath);
const envBitcoind = bitcoindIn(path.join(work, "env"));
const cachedLdk = ldkIn(path.join(cache, "ldk-server", REV, "bin"));
const oldLdk = ldkIn(path.join(work, "old"), "0123456789abcdef0123456789abcdef01234567");

describe("doctor", () => {
  it("nothing anywhere: not ok, and the fix for each is the install command", async () => {
    const report = await doctor({ PATH: "/nonexistent", LDK_REGTEST_CACHE: path.join(work, "empty") });
    expect(report).toMatchObject({
      ok: false,
      cacheDir: path.join(work, "empty"),
      daemons: {
        bitcoind: {
          ok: false,
          source: null,
          path: null,
          version: null,
          fix: "npx ldk-regtest install bitcoind",
        },
        "ldk-server": { ok: false, rev: null, expectedRev: REV, fix: "npx ldk-regtest install ldk-server" },
      },
      optional: { lnd: { ok: false, fix: "npx ldk-regtest install lnd" } },
    });
  });

  it("reports lnd as optional: found in the cache, and missing lnd leaves ok alone", async () => {
    const env = { PATH: onPath, LDK_REGTEST_CACHE: cache, LDK_SERVER_EXE: cachedLdk };
    expect((await doctor(env)).optional.lnd).toMatchObject({ ok: false, source: null });
    expect((await doctor(env)).ok).toBe(true);
    const lnd = fake(
      path.join(cache, "lnd", "v0.21.3-beta", "bin"),
      "lnd",
      "lnd version 0.21.3-beta commit=",
    );
    expect((await doctor(env)).optional.lnd).toMatchObject({ ok: true, source: "cache", path: lnd });
    rmSync(path.join(cache, "lnd"), { recursive: true });
  });

  it("reports ldk-server's LSP build as optional: env, then <cache>/ldk-server-lsps2/<rev>, then PATH", async () => {
    const env = { PATH: onPath, LDK_REGTEST_CACHE: cache };
    const missing = (await doctor(env)).optional["ldk-server-lsps2"];
    expect(missing).toMatchObject({
      ok: false,
      source: null,
      fix: "npx ldk-regtest install ldk-server --lsps2",
    });
    expect((await doctor(env)).ok).toBe(true);
    const onPathLsp = fake(onPath, "ldk-server-lsps2", `ldk-server 0.1.0 (${REV})`);
    expect((await doctor(env)).optional["ldk-server-lsps2"]).toMatchObject({
      ok: true,
      source: "path",
      path: onPathLsp,
    });
    const cached = ldkIn(path.join(cache, "ldk-server-lsps2", REV, "bin"));
    expect((await doctor(env)).optional["ldk-server-lsps2"]).toMatchObject({
      ok: true,
      source: "cache",
      path: cached,
      rev: REV,
    });
    const fromEnv = await doctor({ ...env, LDK_SERVER_LSPS2_EXE: oldLdk });
    expect(fromEnv.optional["ldk-server-lsps2"]).toMatchObject({
      ok: false,
      source: "env",
      fix: "unset LDK_SERVER_LSPS2_EXE && npx ldk-regtest install ldk-server --lsps2",
    });
    expect(fromEnv.ok).toBe(true);
    rmSync(path.join(cache, "ldk-server-lsps2"), { recursive: true });
    rmSync(onPathLsp);
  });

  it("the cache beats PATH, and the environment variable beats the cache", async () => {
    const fromCache = await doctor({ PATH: onPath, LDK_REGTEST_CACHE: cache });
    expect(fromCache.ok).toBe(true);
    expect(fromCache.daemons.bitcoind).toMatchObject({
      ok: true,
      source: "cache",
      path: cachedBitcoind,
      fix: null,
    });
    expect(fromCache.daemons["ldk-server"]).toMatchObject({
      ok: true,
      source: "cache",
      path: cachedLdk,
      rev: REV,
    });
    const fromPath = await doctor({ PATH: onPath, LDK_REGTEST_CACHE: path.join(work, "empty") });
    expect(fromPath.daemons.bitcoind).toMatchObject({ source: "path", path: pathBitcoind });
    const fromEnv = await doctor({ PATH: onPath, LDK_REGTEST_CACHE: cache, BITCOIND_EXE: envBitcoind });
    expect(fromEnv.daemons.bitcoind).toMatchObject({ source: "env", path: envBitcoind });
  });

  it("an ldk-server of another rev is not ok; the fix installs the pinned one (unsetting the variable)", async () => {
    const report = await doctor({ PATH: onPath, LDK_REGTEST_CACHE: cache, LDK_SERVER_EXE: oldLdk });
    expect(report.ok).toBe(false);
    expect(report.daemons["ldk-server"]).toMatchObject({
      ok: false,
      source: "env",
      rev: "0123456789abcdef0123456789abcdef01234567",
      expectedRev: REV,
      fix: "unset LDK_SERVER_EXE && npx ldk-regtest install ldk-server",
    });
    expect(report.daemons["ldk-server"]?.problem).toMatch(/not the pinned 7f3276a/);
  });

  it("prefers the test build in the cache over the stock one, and says which it found", async () => {
    const both = path.join(work, "both");
    const stock = ldkIn(path.join(both, "ldk-server", REV, "bin"));
    const env = { PATH: onPath, LDK_REGTEST_CACHE: both };
    expect((await doctor(env)).daemons["ldk-server"]).toMatchObject({
      ok: true,
      path: stock,
      testKnobs: false,
    });
    const test = fake(
      path.join(both, "ldk-server", testBuildVersion(REV), "bin"),
      "ldk-server",
      `ldk-server 0.1.0 (${testBuildGitHash(REV)})`,
    );
    expect((await doctor(env)).daemons["ldk-server"]).toMatchObject({
      ok: true,
      path: test,
      rev: REV,
      testKnobs: true,
    });
  });
});
