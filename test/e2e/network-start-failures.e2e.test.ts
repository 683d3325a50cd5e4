import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LDK_SERVER_EXECUTABLE, Network } from "../../src/index.js";
import { findExecutable } from "../../src/processes/find-executable.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pidsNamed } from "../support/processes.js";

const daemons = await detectDaemons();

/** Processes whose command line mentions `text` (e.g. a run dir). */
const processesMentioning = (text: string) => {
  try {
    return execFileSync("pgrep", ["-f", text], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

describe.skipIf(!daemons.ok)(e2eTitle("Network.start failures leave nothing running", daemons), () => {
  let dir = "";
  const saved = process.env.LDK_SERVER_EXE;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-wrapper-"));
    const real = (await findExecutable(LDK_SERVER_EXECUTABLE)).path;
    // alice fails at once; bob is a real ldk-server that takes 3 s to begin starting.
    const wrapper = path.join(dir, "ldk-server");
    await writeFile(
      wrapper,
      `#!/bin/sh
case "$1" in --version) exec "${real}" --version;; */alice/*) echo "alice refuses (stand-in)" >&2; exit 3;; esac
sleep 3
exec "${real}" "$@"
`,
    );
    await chmod(wrapper, 0o755);
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LDK_SERVER_EXE;
    else process.env.LDK_SERVER_EXE = saved;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("one node failing stops the nodes still starting and bitcoind before start rejects", {
    timeout: 30_000,
  }, async () => {
    process.env.LDK_SERVER_EXE = path.join(dir, "ldk-server");
    const started = Date.now();
    const error = await Network.start({ nodes: ["alice", "bob"] }).catch((e) => e);
    expect(error.message).toMatch(/alice \(ldk-server\) exited with code 3 while waiting for/);
    expect(Date.now() - started).toBeLessThan(3000); // bob was not waited for
    const runDir = /run dir kept for inspection: (\S+)/.exec(error.message)?.[1] ?? "";
    expect(existsSync(runDir)).toBe(true);
    expect(processesMentioning(runDir)).toEqual([]);
    await rm(runDir, { recursive: true, force: true });
  });

  it("aborting while the nodes start stops everything and removes the run dir", {
    timeout: 30_000,
  }, async () => {
    const runDirs = () => new Set(readdirSync(tmpdir()).filter((d) => d.startsWith("ldk-regtest-")));
    const daemonPids = () => [...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")];
    const dirsBefore = runDirs();
    const pidsBefore = new Set(daemonPids());
    const controller = new AbortController();
    const error = await Network.start({
      nodes: ["carol", "dave"],
      signal: controller.signal,
      onBitcoindReady: () => setTimeout(() => controller.abort("SIGINT"), 20),
    }).catch((e) => e);
    expect(error.code).toBe("ABORTED");
    expect(error.message).toMatch(/interrupted \(SIGINT\) while starting the nodes/);
    expect(daemonPids().filter((p) => !pidsBefore.has(p))).toEqual([]);
    expect([...runDirs()].filter((d) => !dirsBefore.has(d))).toEqual([]);
  });
});
