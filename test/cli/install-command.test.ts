import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const cache = mkdtempSync(path.join(tmpdir(), "ldk-regtest-install-cli-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const installed = (daemon: string) => {
  try {
    return readdirSync(path.join(cache, daemon));
  } catch {
    return [];
  }
};

describe("ldk-regtest install", () => {
  it("--lsps2 installs ldk-server's LSP build after the default one (here both fail: no cargo on PATH)", async () => {
    const env = { PATH: path.dirname(process.execPath), LDK_REGTEST_CACHE: cache, HOME: cache };
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        ["dist/cli/main.js", "install", "ldk-server", "--lsps2", "--json"],
        { env },
        (error, out) => resolve({ code: error ? Number(error.code) : 0, stdout: out }),
      ),
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.daemons)).toEqual(["ldk-server", "ldk-server-lsps2"]);
    for (const daemon of ["ldk-server", "ldk-server-lsps2"]) {
      expect(report.daemons[daemon].error).toMatch(/cargo not found: .*rustup/);
      expect(installed(daemon)).toEqual([]); // nothing half-installed
    }
  });
});
