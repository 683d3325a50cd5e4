import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installBitcoind } from "../../src/install/install-bitcoind.js";

// A tarball in the official layout (bitcoin-31.0/bin/…, plus files we must not extract), served by a
// local HTTP server whose routes misbehave on purpose.
const work = mkdtempSync(path.join(tmpdir(), "ldk-regtest-install-"));
const FILE = "bitcoin-31.0-x86_64-linux-gnu.tar.gz";
const tarball = path.join(work, FILE);
let body = Buffer.alloc(0);
let sha256 = "";
let server: Server;
let base = "";
let requests = 0;
let cache = "";

beforeAll(async () => {
  const root = path.join(work, "src", "bitcoin-31.0");
  mkdirSync(path.join(root, "bin"), { recursive: true });
  mkdirSync(path.join(root, "share"), { recursive: true });
  for (const name of ["bitcoind", "bitcoin-cli", "bitcoin-qt"]) {
    writeFileSync(path.join(root, "bin", name), `#!/bin/sh\necho "Bitcoin Core ${name} version v31.0.0"\n`);
    chmodSync(path.join(root, "bin", name), 0o755);
  }
  writeFileSync(path.join(root, "share", "noise"), randomBytes(300_000)); // incompressible: a body worth cutting
  execFileSync("tar", ["-czf", tarball, "-C", path.join(work, "src"), "bitcoin-31.0"]);
  body = readFileSync(tarball);
  sha256 = createHash("sha256").update(body).digest("hex");
  server = createServer((req, res) => {
    requests++;
    const mode = (req.url ?? "").split("/")[1];
    if (!req.url?.endsWith(`/bitcoin-core-31.0/${FILE}`) || mode === "missing") {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": body.length });
    const half = body.subarray(0, body.length >> 1);
    if (mode === "ok") res.end(body);
    else if (mode === "cut") res.write(half, () => res.destroy());
    else if (mode === "stall")
      res.write(half); // and nothing more
    else if (mode === "slow") {
      let sent = 0;
      const drip = setInterval(() => {
        if (res.destroyed || sent >= body.length) return clearInterval(drip);
        res.write(body.subarray(sent, sent + 1024));
        sent += 1024;
      }, 50);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  cache = mkdtempSync(path.join(work, "cache-"));
  requests = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ ...process.env, LDK_REGTEST_CACHE: cache });
const install = (mode: string, extra: Parameters<typeof installBitcoind>[0] = {}) =>
  installBitcoind({ mirror: `${base}/${mode}`, sha256, platform: "x86_64-linux-gnu", env: env(), ...extra });
/** What the cache holds under bitcoind/: after a failure, nothing (no daemon, no temp dir, no lock). */
const leftovers = () => {
  try {
    return readdirSync(path.join(cache, "bitcoind"));
  } catch {
    return [];
  }
};

describe("installBitcoind", () => {
  it("downloads, verifies and installs only bitcoind and bitcoin-cli; a second run finds them", async () => {
    const result = await install("ok");
    expect(result).toMatchObject({ status: "installed", version: "31.0" });
    expect(result.path).toBe(path.join(cache, "bitcoind", "31.0", "bin", "bitcoind"));
    expect(readdirSync(path.join(cache, "bitcoind", "31.0", "bin")).sort()).toEqual([
      "bitcoin-cli",
      "bitcoind",
    ]);
    expect(execFileSync(result.path, { encoding: "utf8" })).toMatch(/Bitcoin Core bitcoind/);
    expect(leftovers()).toEqual(["31.0"]);
    expect((await install("ok")).status).toBe("present");
    expect(requests).toBe(1);
  });

  it("refuses a tarball whose SHA-256 is not the pinned one, installing nothing", async () => {
    const error = await installBitcoind({
      mirror: `${base}/ok`,
      platform: "x86_64-linux-gnu",
      env: env(),
    }).catch((e) => e);
    expect(error.message).toMatch(
      new RegExp(
        `SHA-256 of ${FILE} is ${sha256}, expected d3e4c58a.* \\(pinned in ldk-regtest\\): refusing to install it`,
      ),
    );
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ["missing", /HTTP 404 \(no such release there: check the version and the mirror\)/],
    ["cut", /the connection was cut after \d+ of \d+ bytes/],
    ["stall", /no data for 0.3 s after \d+ bytes/],
  ])("a %s download fails clearly and leaves nothing in the cache", async (mode, message) => {
    const error = await install(mode, { stallTimeoutMs: 300 }).catch((e) => e);
    expect(error.message).toMatch(
      new RegExp(`download of ${base}/${mode}/bitcoin-core-31.0/${FILE} failed: `),
    );
    expect(error.message).toMatch(message);
    expect(leftovers()).toEqual([]);
  });

  it("aborted mid-download: stops, and leaves nothing in the cache", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGINT"), 300);
    const error = await install("slow", { signal: controller.signal }).catch((e) => e);
    expect(error.message).toMatch(/failed: interrupted \(SIGINT\)/);
    expect(leftovers()).toEqual([]);
  });

  it("two installs at once: one downloads, the other waits and finds it installed", async () => {
    const results = await Promise.all([install("ok"), install("ok")]);
    expect(results.map((r) => r.status).sort()).toEqual(["installed", "present"]);
    expect(requests).toBe(1);
    expect(leftovers()).toEqual(["31.0"]);
  });

  it("--from-file: verified against the table by its name, or against --sha256", async () => {
    const refused = await installBitcoind({
      fromFile: tarball,
      env: env(),
      platform: "x86_64-linux-gnu",
    }).catch((e) => e);
    expect(refused.message).toMatch(/expected d3e4c58a/);
    expect(leftovers()).toEqual([]);
    const result = await installBitcoind({
      fromFile: tarball,
      sha256,
      env: env(),
      platform: "x86_64-linux-gnu",
    });
    expect(result).toMatchObject({ status: "installed", version: "31.0" });
    expect(requests).toBe(0);
  });

  it("the CLI on SIGINT mid-download exits 130, prints its JSON and leaves the cache clean", async () => {
    const cli = spawn(
      process.execPath,
      ["dist/cli/main.js", "install", "bitcoind", "--mirror", `${base}/slow`, "--sha256", sha256, "--json"],
      { env: env(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    cli.stdout.on("data", (c: Buffer) => (out += c));
    cli.stderr.on("data", (c: Buffer) => (err += c));
    await expect.poll(() => requests, { timeout: 10_000, interval: 20 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.kill("SIGINT");
    const code = await new Promise((resolve) => cli.once("exit", resolve));
    expect(code, `stdout: ${out}\nstderr: ${err}`).toBe(130);
    expect(JSON.parse(out)).toMatchObject({
      ok: false,
      daemons: { bitcoind: { error: expect.stringMatching(/interrupted/) } },
    });
    expect(leftovers()).toEqual([]);
  });
});
