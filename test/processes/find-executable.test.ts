import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable, MissingExecutableError } from "../../src/processes/find-executable.js";

const spec = {
  name: "fake-daemon",
  envVar: "FAKE_DAEMON_EXE",
  versionArgs: ["--version"],
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
    expect(error.message).toMatch(/fake-daemon not found on PATH and FAKE_DAEMON_EXE is not set/);
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
    const broken = await script("exit 3");
    await expect(findExecutable(spec, { FAKE_DAEMON_EXE: broken })).rejects.toThrow(
      /does not run as fake-daemon/,
    );
  });
});
