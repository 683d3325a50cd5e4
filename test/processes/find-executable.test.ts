import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable, MissingExecutableError } from "../../src/processes/find-executable.js";

const spec = {
  name: "fake-daemon",
  envVar: "FAKE_DAEMON_EXE",
  versionArgs: ["--version"],
  versionPattern: /fake-daemon|env-one/,
  installHint: "Get it at X.",
};

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function script(body: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-exe-"));
  dirs.push(dir);
  const file = path.join(dir, "fake-daemon");
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

describe("findExecutable", () => {
  it("finds the binary on PATH and reads its version", async () => {
    const file = await script('echo "fake-daemon 1.2.3"');
    await expect(findExecutable(spec, { PATH: `/nonexistent:${path.dirname(file)}` })).resolves.toEqual({
      path: file,
      version: "fake-daemon 1.2.3",
      source: "path",
    });
  });

  it("prefers the environment variable over PATH", async () => {
    const file = await script("echo env-one");
    const found = await findExecutable(spec, { PATH: "/usr/bin", FAKE_DAEMON_EXE: file });
    expect(found.version).toBe("env-one");
  });

  it("says what to install and which variable to set when missing", async () => {
    const error = await findExecutable(spec, { PATH: "/nonexistent" }).catch((e) => e);
    expect(error).toBeInstanceOf(MissingExecutableError);
    expect(error.message).toMatch(
      /^fake-daemon not found \(not in FAKE_DAEMON_EXE, the ldk-regtest cache or PATH\)\. Run `npx ldk-regtest install fake-daemon`/,
    );
    expect(error.message).toMatch(/Get it at X\./);
  });

  it("rejects a path that is not executable or a binary that does not run", async () => {
    const plain = await script("echo never");
    await chmod(plain, 0o644);
    await expect(findExecutable(spec, { FAKE_DAEMON_EXE: plain })).rejects.toThrow(
      /fake-daemon at .* \(from FAKE_DAEMON_EXE\) is missing or not executable/,
    );
    await expect(findExecutable(spec, { FAKE_DAEMON_EXE: "/nonexistent/fake-daemon" })).rejects.toThrow(
      /is missing or not executable/,
    );
    const broken = await script("echo 'Error: settings file could not be written' >&2; exit 3");
    await expect(findExecutable(spec, { FAKE_DAEMON_EXE: broken })).rejects.toThrow(
      /does not run as fake-daemon \(`--version` exited with code 3: Error: settings file could not be written\)/,
    );
  });

  it("refuses a binary that prints nothing, or something else than the daemon's version", async () => {
    const silent = await script("exit 0");
    await expect(findExecutable(spec, { FAKE_DAEMON_EXE: silent })).rejects.toThrow(
      /does not run as fake-daemon \(`--version` printed nothing\)/,
    );
    const other = await script('echo "Python 3.11.2"');
    await expect(findExecutable(spec, { FAKE_DAEMON_EXE: other })).rejects.toThrow(
      /`--version` printed "Python 3.11.2"/,
    );
  });

  it("kills a binary (and what it spawned) that ignores --version and never exits", async () => {
    const marker = `ldk-regtest-hang-${process.pid}-${Date.now()}`;
    // Ignores SIGTERM and leaves a grandchild holding stdout: only a group SIGKILL ends it.
    const hang = await script(`trap "" TERM\nsleep 300 # ${marker}\n`);
    const started = Date.now();
    const error = await findExecutable(spec, { FAKE_DAEMON_EXE: hang }, 300).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(MissingExecutableError);
    expect(error.message).toMatch(/did not exit within 300 ms and was killed/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pgrepFull(marker)).toEqual([]);
  });
});

function pgrepFull(pattern: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
