import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installLdkServer } from "../../src/ldk-server/install.js";
import { testBuildGitHash, testBuildVersion } from "../../src/ldk-server/test-knobs.js";

const cargoHere = spawnSync("cargo", ["--version"]).status === 0;
const work = mkdtempSync(path.join(tmpdir(), "ldk-regtest-cargo-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const leftovers = (cache: string, daemon = "ldk-server") => {
  try {
    return readdirSync(path.join(cache, daemon));
  } catch {
    return [];
  }
};

/**
 * A tiny git repository standing in for upstream's: a package `ldk-server` that prints its GIT_HASH
 * (and "lsps2" when built with that feature). Made once.
 */
function standInRepo(): { url: string; rev: string } {
  standIn ??= makeStandInRepo();
  return standIn;
}
let standIn: { url: string; rev: string } | undefined;

function makeStandInRepo(): { url: string; rev: string } {
  const repo = path.join(work, "repo");
  mkdirSync(path.join(repo, "src"), { recursive: true });
  writeFileSync(
    path.join(repo, "Cargo.toml"),
    '[package]\nname = "ldk-server"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n\n[features]\nexperimental-lsps2-support = []\n',
  );
  writeFileSync(
    path.join(repo, "src", "main.rs"),
    'fn main() { println!("ldk-server 0.1.0 ({}){}", option_env!("GIT_HASH").unwrap_or("unknown"), if cfg!(feature = "experimental-lsps2-support") { " lsps2" } else { "" }); }\n',
  );
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
  execFileSync("cargo", ["generate-lockfile", "--offline"], { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "stand-in");
  return { url: `file://${repo}`, rev: git("rev-parse", "HEAD") };
}

describe("installLdkServer", () => {
  it.skipIf(!cargoHere).each([
    ["ldk-server", false, ""],
    ["ldk-server-lsps2", true, " lsps2"], // --features experimental-lsps2-support, beside the default build
  ] as const)(
    "stock: builds %s from the given rev with cargo install --locked into its own cache folder; --version names the rev",
    { timeout: 120_000 },
    async (daemon, lsps2, feature) => {
      const { url, rev } = standInRepo();
      const cache = path.join(work, `cache-${daemon}`);
      const env = { ...process.env, LDK_REGTEST_CACHE: cache };
      const result = await installLdkServer({ gitUrl: url, rev, env, lsps2, stock: true });
      expect(result).toMatchObject({ daemon, status: "installed", version: rev, testBuild: false });
      expect(result.path).toBe(path.join(cache, daemon, rev, "bin", "ldk-server"));
      expect(execFileSync(result.path, ["--version"], { encoding: "utf8" }).trim()).toBe(
        `ldk-server 0.1.0 (${rev})${feature}`,
      );
      const other = lsps2 ? "ldk-server" : "ldk-server-lsps2";
      expect([leftovers(cache, daemon), leftovers(cache, other)]).toEqual([[rev], []]);
      expect((await installLdkServer({ gitUrl: url, rev, env, lsps2, stock: true })).status).toBe("present");
    },
  );

  it("without cargo: names rustup and the Nix flake, and installs nothing", async () => {
    const cache = path.join(work, "no-cargo");
    const error = await installLdkServer({
      cargo: "/nonexistent/cargo",
      env: { ...process.env, LDK_REGTEST_CACHE: cache },
    }).catch((e) => e);
    expect(error.message).toMatch(/cargo not found: .*rustup \(https:\/\/rustup.rs\).*Nix flake/);
    expect(leftovers(cache)).toEqual([]);
  });

  it.skipIf(!cargoHere)("a failing fetch says so, and installs nothing", { timeout: 60_000 }, async () => {
    const cache = path.join(work, "failing");
    const error = await installLdkServer({
      gitUrl: `file://${path.join(work, "no-such-repo")}`,
      rev: "0".repeat(40),
      env: { ...process.env, LDK_REGTEST_CACHE: cache },
    }).catch((e) => e);
    expect(error.message).toMatch(/git could not fetch 0000000 from file:.*no-such-repo \(exit code \d+\)/);
    expect(leftovers(cache)).toEqual([]);
  });

  it.skipIf(!cargoHere)(
    "test build: ldk-node at the rev the lock pins, patched and put in by source replacement; --version carries the marker",
    { timeout: 180_000 },
    async () => {
      const { url, rev, patch } = standInWithLdkNode();
      const cache = path.join(work, "cache-test-build");
      const env = { ...process.env, LDK_REGTEST_CACHE: cache };
      const result = await installLdkServer({ gitUrl: url, rev, env, patchFile: patch });
      expect(result).toMatchObject({ status: "installed", version: rev, testBuild: true });
      expect(result.path).toBe(
        path.join(cache, "ldk-server", testBuildVersion(rev, patch), "bin", "ldk-server"),
      );
      const run = (knob?: string) =>
        execFileSync(result.path, ["--version"], {
          encoding: "utf8",
          env: { ...process.env, ...(knob ? { LDK_REGTEST_KNOB_CHAIN_POLL_MS: knob } : {}) },
        }).trim();
      expect(run()).toBe(`ldk-server 0.1.0 (${testBuildGitHash(rev, patch)}) poll 2000`); // unset: upstream's
      expect(run("100")).toBe(`ldk-server 0.1.0 (${testBuildGitHash(rev, patch)}) poll 100`);
      expect(leftovers(cache)).toEqual([testBuildVersion(rev, patch)]);
    },
  );

  it.skipIf(!cargoHere)(
    "a patch whose hunk no longer matches is refused naming the file and the hunk; nothing is installed",
    { timeout: 120_000 },
    async () => {
      const { url, rev } = standInWithLdkNode();
      const stale = path.join(work, "stale.patch");
      writeFileSync(
        stale,
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,3 @@ fn moved()\n // context that upstream changed\n-pub fn poll_ms() -> u64 { 3000 }\n+pub fn poll_ms() -> u64 { 1 }\n // end\n",
      );
      const cache = path.join(work, "cache-stale");
      const error = await installLdkServer({
        gitUrl: url,
        rev,
        env: { ...process.env, LDK_REGTEST_CACHE: cache },
        patchFile: stale,
      }).catch((e) => e);
      expect(error).toMatchObject({ code: "INSTALL_FAILED", data: { file: "src/lib.rs" } });
      expect(error.message).toMatch(
        /stale\.patch does not apply to ldk-node [0-9a-f]{7}: its hunk "@@ -1,3 \+1,3 @@ fn moved\(\)" of src\/lib\.rs does not match/,
      );
      expect(leftovers(cache)).toEqual([]); // no install, no temp dir
    },
  );
});

/**
 * A stand-in ldk-server that depends on a stand-in ldk-node by git rev (as upstream's lock pins it),
 * and a patch of ours for that ldk-node: its `poll_ms()` reads the knob. Made once.
 */
function standInWithLdkNode(): { url: string; rev: string; patch: string } {
  withNode ??= makeStandInWithLdkNode();
  return withNode;
}
let withNode: { url: string; rev: string; patch: string } | undefined;

function makeStandInWithLdkNode(): { url: string; rev: string; patch: string } {
  const commit = (repo: string) => {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
    git("init", "-q");
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "stand-in");
    return git("rev-parse", "HEAD");
  };
  const node = path.join(work, "ldk-node");
  mkdirSync(path.join(node, "src"), { recursive: true });
  writeFileSync(
    path.join(node, "Cargo.toml"),
    '[package]\nname = "ldk-node"\nversion = "0.1.0"\nedition = "2021"\n',
  );
  writeFileSync(path.join(node, "src", "lib.rs"), "// stand-in\npub fn poll_ms() -> u64 { 2000 }\n// end\n");
  const nodeRev = commit(node);
  const server = path.join(work, "server");
  mkdirSync(path.join(server, "ldk-server", "src"), { recursive: true });
  writeFileSync(path.join(server, "Cargo.toml"), '[workspace]\nmembers = ["ldk-server"]\nresolver = "2"\n');
  writeFileSync(
    path.join(server, "ldk-server", "Cargo.toml"),
    `[package]\nname = "ldk-server"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nldk-node = { git = "file://${node}", rev = "${nodeRev}" }\n`,
  );
  writeFileSync(
    path.join(server, "ldk-server", "src", "main.rs"),
    'fn main() { println!("ldk-server 0.1.0 ({}) poll {}", option_env!("GIT_HASH").unwrap_or("unknown"), ldk_node::poll_ms()); }\n',
  );
  execFileSync("cargo", ["generate-lockfile"], { cwd: server, stdio: "ignore" });
  const rev = commit(server);
  const patch = path.join(work, "knobs.patch");
  writeFileSync(
    patch,
    [
      "--- a/src/lib.rs",
      "+++ b/src/lib.rs",
      "@@ -1,3 +1,5 @@",
      " // stand-in",
      "-pub fn poll_ms() -> u64 { 2000 }",
      "+pub fn poll_ms() -> u64 {",
      '+\tstd::env::var("LDK_REGTEST_KNOB_CHAIN_POLL_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)',
      "+}",
      " // end",
      "",
    ].join("\n"),
  );
  return { url: `file://${server}`, rev, patch };
}
