import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_BITCOIN_CORE_VERSION } from "../../src/cache/bitcoin-core-releases.js";
import { cacheDir } from "../../src/cache/cache-dir.js";
import { LDK_SERVER_UPSTREAM } from "../../src/ldk-server/upstream.js";
import { LND_VERSION } from "../../src/lnd/executable.js";
import { packedFiles } from "../support/pack.js";
import { runChild } from "../support/run-child.js";

const root = path.resolve(import.meta.dirname, "../..");
const workflow = readFileSync(path.join(root, "examples/ci/github-actions.yml"), "utf8");

type Step = Record<string, string>;

/** The job's steps, each as its keys (`with:` keys too), read by indentation (actionlint checks the YAML). */
function steps(): Step[] {
  return workflow
    .split(/\n {6}- /)
    .slice(1)
    .map((block) =>
      Object.fromEntries(
        block
          .split("\n")
          .map((line) => line.trim().match(/^([a-z-]+): (.+)$/))
          .filter((m) => m !== null)
          .map((m) => [m[1] as string, m[2] as string]),
      ),
    );
}

const MISS = "steps.daemons.outputs.cache-hit != 'true'";
/** A GitHub Actions expression, as the workflow writes it. */
const expr = (inner: string) => ["$", "{{ ", inner, " }}"].join("");

describe("examples/ci/github-actions.yml: the daemon cache of a user's project", () => {
  it("keys the cache on files the package ships, which hold every pinned version", {
    timeout: 60_000,
  }, async () => {
    const restore = steps().find((s) => s.uses?.startsWith("actions/cache/restore@"));
    const files = [...(restore?.key ?? "").matchAll(/'node_modules\/ldk-regtest\/([^']+)'/g)].map(
      (m) => m[1] as string,
    );
    expect(files).toEqual(["upstream.json", "patches/**", "dist/cache/bitcoin-core-releases.js"]);
    // A renamed or dropped file would leave the key blind to it (hashFiles skips what is missing).
    const packed = await packedFiles(root);
    for (const file of files) {
      const prefix = file.replace("**", "");
      expect(
        packed.some((f) => f === file || (file.endsWith("**") && f.startsWith(prefix))),
        file,
      ).toBe(true);
    }
    const pins = readFileSync(path.join(root, "upstream.json"), "utf8");
    expect(pins).toContain(LDK_SERVER_UPSTREAM.rev);
    expect(pins).toContain(LND_VERSION);
    expect(readFileSync(path.join(root, "dist/cache/bitcoin-core-releases.js"), "utf8")).toContain(
      `"${DEFAULT_BITCOIN_CORE_VERSION}"`,
    );
  });

  it("installs and saves only on a miss, under the key it looked up, then checks the daemons", () => {
    const all = steps();
    const names = all.map((s) => s.name ?? s.uses ?? s.run);
    expect(names).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci",
      "Where ldk-regtest keeps its daemons",
      "Restore the daemons",
      "Install the daemons",
      "Save the daemons",
      "Check the daemons",
      "npm test",
    ]);
    const byName = (name: string) => all.find((s) => s.name === name) ?? {};
    expect(byName("Install the daemons")).toMatchObject({ if: MISS, run: "npx ldk-regtest install" });
    expect(byName("Save the daemons")).toMatchObject({
      if: MISS,
      key: expr("steps.daemons.outputs.cache-primary-key"),
      path: expr("env.LDK_REGTEST_CACHE"),
    });
    expect(byName("Restore the daemons")).toMatchObject({
      id: "daemons",
      path: expr("env.LDK_REGTEST_CACHE"),
    });
    expect(all.filter((s) => s.if !== undefined).map((s) => s.name)).toEqual([
      "Install the daemons",
      "Save the daemons",
    ]);
  });

  it("caches the folder ldk-regtest installs into and looks in (its step run here)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "github-env-"));
    try {
      const githubEnv = path.join(dir, "env");
      const { run } = steps().find((s) => s.name === "Where ldk-regtest keeps its daemons") ?? {};
      const { code, output } = await runChild("bash", ["-c", `GITHUB_ENV=${githubEnv}; ${run}`], dir);
      expect(code, output).toBe(0);
      const written = Object.fromEntries(
        (await readFile(githubEnv, "utf8"))
          .trim()
          .split("\n")
          .map((line) => line.split("=", 2)),
      );
      // The default ldk-regtest uses without the variable: the same folder either way.
      const env = { ...process.env, LDK_REGTEST_CACHE: undefined, XDG_CACHE_HOME: undefined };
      expect(written).toEqual({ LDK_REGTEST_CACHE: cacheDir(env) });
      expect(cacheDir({ LDK_REGTEST_CACHE: written.LDK_REGTEST_CACHE })).toBe(cacheDir(env));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
