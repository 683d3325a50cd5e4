import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installLdkServer } from "../../src/install/install-ldk-server.js";

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
    "builds %s from the given rev with cargo install --locked into its own cache folder; --version names the rev",
    { timeout: 120_000 },
    async (daemon, lsps2, feature) => {
      const { url, rev } = standInRepo();
      const cache = path.join(work, `cache-${daemon}`);
      const env = { ...process.env, LDK_REGTEST_CACHE: cache };
      const result = await installLdkServer({ gitUrl: url, rev, env, lsps2 });
      expect(result).toMatchObject({ daemon, status: "installed", version: rev });
      expect(result.path).toBe(path.join(cache, daemon, rev, "bin", "ldk-server"));
      expect(execFileSync(result.path, ["--version"], { encoding: "utf8" }).trim()).toBe(
        `ldk-server 0.1.0 (${rev})${feature}`,
      );
      const other = lsps2 ? "ldk-server" : "ldk-server-lsps2";
      expect([leftovers(cache, daemon), leftovers(cache, other)]).toEqual([[rev], []]);
      expect((await installLdkServer({ gitUrl: url, rev, env, lsps2 })).status).toBe("present");
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

  it.skipIf(!cargoHere)("a failing build says so, and installs nothing", { timeout: 60_000 }, async () => {
    const cache = path.join(work, "failing");
    const error = await installLdkServer({
      gitUrl: `file://${path.join(work, "no-such-repo")}`,
      rev: "0".repeat(40),
      env: { ...process.env, LDK_REGTEST_CACHE: cache },
    }).catch((e) => e);
    expect(error.message).toMatch(/cargo install failed \(exit code \d+\)/);
    expect(leftovers(cache)).toEqual([]);
  });
});
