import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLnd, LND_VERSION, lncliBeside } from "../../src/lnd/executable.js";
import {
  goOlderThan,
  installLnd,
  LND_BUILD_TAGS,
  lndBuildModule,
  lndGoCommands,
} from "../../src/lnd/install.js";

const work = mkdtempSync(path.join(tmpdir(), "ldk-regtest-install-lnd-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TOP = `lnd-linux-amd64-${LND_VERSION}`;
let caches = 0;
const freshCache = () => path.join(work, `cache-${++caches}`);
const envFor = (cache: string, extra: NodeJS.ProcessEnv = {}) => ({
  ...process.env,
  LDK_REGTEST_CACHE: cache,
  ...extra,
});
/** What the cache holds under lnd/: after a failure, nothing (no daemon, no temp dir, no lock). */
const leftovers = (cache: string) => {
  try {
    return readdirSync(path.join(cache, "lnd"));
  } catch {
    return [];
  }
};

/** A .tar.gz of `files` (name → source path) under `top/`, and its SHA-256. */
function tarball(name: string, top: string, files: Record<string, string>): { file: string; sha256: string } {
  const root = path.join(work, `src-${name}`);
  mkdirSync(path.join(root, top), { recursive: true });
  for (const [member, source] of Object.entries(files)) copyFileSync(source, path.join(root, top, member));
  const file = path.join(work, name);
  execFileSync("tar", ["-czf", file, "-C", root, top]);
  return { file, sha256: createHash("sha256").update(readFileSync(file)).digest("hex") };
}

/** A stand-in `go` that reports an old version and GOTOOLCHAIN=local (a Go too old, without building). */
function oldGo(): string {
  const file = path.join(work, "old-go");
  writeFileSync(file, '#!/bin/sh\n[ "$1" = env ] && printf "go1.24.2\\nlocal\\n" && exit 0\nexit 99\n');
  chmodSync(file, 0o755);
  return file;
}

describe("lnd's build, as arguments", () => {
  it("the scratch module repeats lnd's three replace lines and its go version", () => {
    expect(lndBuildModule()).toBe(
      [
        "module ldk-regtest/lnd-build",
        "",
        "go 1.25.13",
        "",
        "replace github.com/ulikunitz/xz => github.com/ulikunitz/xz v0.5.11",
        "replace github.com/gogo/protobuf => github.com/gogo/protobuf v1.3.2",
        "replace google.golang.org/protobuf => github.com/lightninglabs/protobuf-go-hex-display v1.33.0-hex-display",
        "",
      ].join("\n"),
    );
  });

  it("go get -tool both commands at the pinned version, then go build both with the release tags", () => {
    const { get, build } = lndGoCommands("/x/bin");
    expect(get).toEqual([
      "get",
      "-tool",
      `github.com/lightningnetwork/lnd/cmd/lnd@${LND_VERSION}`,
      `github.com/lightningnetwork/lnd/cmd/lncli@${LND_VERSION}`,
    ]);
    expect(build).toEqual([
      "build",
      "-tags",
      LND_BUILD_TAGS.join(" "),
      "-ldflags",
      `-X github.com/lightningnetwork/lnd/build.Commit=${LND_VERSION}`,
      "-o",
      "/x/bin/", // a trailing slash: go writes each command into the directory
      "github.com/lightningnetwork/lnd/cmd/lnd",
      "github.com/lightningnetwork/lnd/cmd/lncli",
    ]);
    // lnd's release sub-servers (routerrpc has no tag: it is always built), and cheap wallet scrypt
    expect(LND_BUILD_TAGS.join(" ")).toBe(
      "autopilotrpc signrpc walletrpc chainrpc invoicesrpc watchtowerrpc neutrinorpc monitoring peersrpc kvdb_sqlite lowscrypt",
    );
  });

  it.each([
    ["go1.24.2", true],
    ["go1.25.12", true],
    ["go1.25", true],
    ["go1.25.13", false],
    ["go1.26.0", false],
    ["go2.0.0", false],
    ["devel go1.27-abcdef", false],
  ])("%s is older than Go 1.25.13: %s", (version, isOlder) => {
    expect(goOlderThan(version, "1.25.13")).toBe(isOlder);
  });
});

describe("installLnd refuses before it builds", () => {
  it("no Go on PATH: names both ways forward, and installs nothing", async () => {
    const cache = freshCache();
    const error = await installLnd({ env: envFor(cache, { PATH: path.join(work, "no-go-here") }) }).catch(
      (e) => e,
    );
    expect(error.code).toBe("INSTALL_FAILED");
    expect(error.message).toMatch(/^go not found: /);
    expect(error.message).toMatch(/install Go 1\.25\.13 or newer \(https:\/\/go\.dev\/dl\)/);
    expect(error.message).toMatch(
      /npx ldk-regtest install lnd --from-file lnd-\w+-\w+-v0\.21\.3-beta\.tar\.gz --sha256 <hex/,
    );
    expect(leftovers(cache)).toEqual([]);
  });

  it("a Go older than lnd's go.mod needs, with GOTOOLCHAIN=local: says so, and installs nothing", async () => {
    const cache = freshCache();
    const error = await installLnd({ go: oldGo(), env: envFor(cache) }).catch((e) => e);
    expect(error.message).toMatch(/^go1\.24\.2 is older than the Go 1\.25\.13 lnd v0\.21\.3-beta needs/);
    expect(error.message).toMatch(/--from-file/);
    expect(leftovers(cache)).toEqual([]);
  });

  it("--from-file with no sum (none given, none pinned for its name), another lnd version, or --sha256 alone: BAD_OPTION", async () => {
    const cache = freshCache();
    const noSum = await installLnd({
      fromFile: `/tmp/lnd-darwin-arm64-${LND_VERSION}.tar.gz`,
      env: envFor(cache),
    }).catch((e) => e);
    expect(noSum).toMatchObject({ code: "BAD_OPTION" });
    expect(noSum.message).toMatch(
      /^no pinned SHA-256 for lnd-darwin-arm64-v0\.21\.3-beta\.tar\.gz .*pass --sha256 <hex> from lnd's signed manifest-v0\.21\.3-beta\.txt/,
    );
    const other = await installLnd({
      fromFile: "/tmp/lnd-linux-amd64-v0.18.0-beta.tar.gz",
      sha256: "0".repeat(64),
      env: envFor(cache),
    }).catch((e) => e);
    expect(other.message).toMatch(/is lnd v0\.18\.0-beta; ldk-regtest is tested with v0\.21\.3-beta/);
    const bad = await installLnd({ fromFile: `/tmp/${TOP}.tar.gz`, sha256: "xyz", env: envFor(cache) }).catch(
      (e) => e,
    );
    expect(bad.message).toBe('--sha256 must be 64 hex characters, got "xyz"');
    const alone = await installLnd({ sha256: "0".repeat(64), env: envFor(cache) }).catch((e) => e);
    expect(alone.message).toMatch(/--sha256 checks a --from-file tarball/);
    expect(leftovers(cache)).toEqual([]);
  });
});

const realLnd = await findLnd().catch((error: Error) => {
  console.warn(`\n!!! lnd --from-file test SKIPPED: ${error.message}`);
  return undefined;
});

describe.skipIf(!realLnd)(
  `installLnd --from-file with a tarball of the real lnd${realLnd ? "" : " — SKIPPED: lnd not usable (set LND_EXE or put lnd on PATH)"}`,
  () => {
    // lnd and lncli are ~190 MiB: packed once (gzip takes seconds on a shared machine).
    let release = { file: "", sha256: "" };
    beforeAll(() => {
      release = tarball(`${TOP}.tar.gz`, TOP, {
        lnd: realLnd?.path ?? "",
        lncli: lncliBeside(realLnd?.path ?? ""),
      });
    }, 120_000);

    it("verifies it, installs lnd and lncli into the cache, where findLnd finds them", {
      timeout: 60_000,
    }, async () => {
      const cache = freshCache();
      const { file, sha256 } = release;
      const result = await installLnd({ fromFile: file, sha256: sha256.toUpperCase(), env: envFor(cache) });
      const bin = path.join(cache, "lnd", LND_VERSION, "bin");
      expect(result).toMatchObject({ daemon: "lnd", version: LND_VERSION, status: "installed" });
      expect(result.path).toBe(path.join(bin, "lnd"));
      expect(readdirSync(bin).sort()).toEqual(["lncli", "lnd"]);
      expect(execFileSync(path.join(bin, "lncli"), ["--version"], { encoding: "utf8" })).toMatch(
        /lncli version 0\.21\.3-beta/,
      );
      const found = await findLnd({ PATH: "/nonexistent", LDK_REGTEST_CACHE: cache });
      expect(found).toMatchObject({ source: "cache", path: result.path });
      expect(found.version).toMatch(/^lnd version 0\.21\.3-beta/);
      expect(leftovers(cache)).toEqual([LND_VERSION]);
      expect((await installLnd({ fromFile: file, sha256, env: envFor(cache) })).status).toBe("present");
    });

    it("a tarball whose SHA-256 differs, or without lncli: refused, nothing installed", {
      timeout: 60_000,
    }, async () => {
      const cache = freshCache();
      const { file } = release;
      const mismatch = await installLnd({
        fromFile: file,
        sha256: "ab".repeat(32),
        env: envFor(cache),
      }).catch((e) => e);
      expect(mismatch.message).toMatch(
        new RegExp(
          `SHA-256 of ${TOP}\\.tar\\.gz is [0-9a-f]{64}, expected (ab){32} \\(--sha256\\): refusing`,
        ),
      );
      // Named like the official amd64 tarball, without --sha256: checked against lnd's pinned sum.
      const pinned = await installLnd({ fromFile: file, env: envFor(cache) }).catch((e) => e);
      expect(pinned.message).toMatch(/expected aad62005[0-9a-f]{56} \(pinned in ldk-regtest\): refusing/);
      const partial = tarball("lnd-only.tar.gz", TOP, { lnd: oldGo() }); // the layout is checked, not the content
      const missing = await installLnd({
        fromFile: partial.file,
        sha256: partial.sha256,
        env: envFor(cache),
      }).catch((e) => e);
      expect(missing.message).toMatch(
        /has no lnd-<os>-<arch>-v0\.21\.3-beta\/lncli: not an lnd release tarball/,
      );
      expect(leftovers(cache)).toEqual([]);
    });
  },
);

/** Whether a real build is quick here: Go present, lnd's modules already fetched (so its build cached). */
const warmGo = (() => {
  try {
    const modules = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
    readdirSync(path.join(modules, "github.com", "lightningnetwork", `lnd@${LND_VERSION}`));
    return true;
  } catch {
    console.warn(
      `\n!!! the real lnd build test SKIPPED: no go, or lnd ${LND_VERSION}'s modules are not in Go's module cache (a first build takes 10 minutes or more; \`npx ldk-regtest install lnd\` once warms it)`,
    );
    return false;
  }
})();

describe.skipIf(!warmGo)(
  `installLnd builds with the real Go${warmGo ? "" : " — SKIPPED: no go, or lnd's modules not in Go's module cache"}`,
  () => {
    // About 25 s here with Go's build cache warm (2 cores, shared).
    it("lnd and lncli at the pinned version in the cache; nothing else left", {
      timeout: 300_000,
    }, async () => {
      const cache = freshCache();
      const result = await installLnd({ env: envFor(cache) });
      expect(result).toMatchObject({ daemon: "lnd", version: LND_VERSION, status: "installed" });
      const bin = path.join(cache, "lnd", LND_VERSION, "bin");
      expect(readdirSync(bin).sort()).toEqual(["lncli", "lnd"]);
      expect(execFileSync(path.join(bin, "lnd"), ["--version"], { encoding: "utf8" })).toBe(
        `lnd version 0.21.3-beta commit=${LND_VERSION}\n`,
      );
      expect(execFileSync(path.join(bin, "lncli"), ["--version"], { encoding: "utf8" })).toMatch(
        /^lncli version 0\.21\.3-beta/,
      );
      expect(leftovers(cache)).toEqual([LND_VERSION]); // the scratch module went with the temp dir
    });
  },
);
