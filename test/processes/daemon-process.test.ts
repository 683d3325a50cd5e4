import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DaemonProcess } from "../../src/processes/daemon-process.js";

const dir = mkdtempSync(path.join(tmpdir(), "ldk-regtest-daemon-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("DaemonProcess", () => {
  it("a binary that cannot be spawned: stop() and kill() signal nobody (never pid 1's group)", async () => {
    const signalled = vi.spyOn(process, "kill");
    try {
      const daemon = DaemonProcess.spawn({
        name: "ghost",
        command: "/nonexistent/ghost-daemon",
        args: [],
        env: process.env,
        consolePath: path.join(dir, "console.log"),
      });
      expect((await daemon.kill()).error?.message).toMatch(/ENOENT/);
      expect((await daemon.stop()).error?.message).toMatch(/ENOENT/);
      expect(signalled).not.toHaveBeenCalled();
    } finally {
      signalled.mockRestore();
    }
  });

  it("kill() of a running daemon SIGKILLs its group and reports the signal", async () => {
    const daemon = DaemonProcess.spawn({
      name: "sleeper",
      command: "sleep",
      args: ["30"],
      env: process.env,
      consolePath: path.join(dir, "sleeper.log"),
    });
    expect(await daemon.kill()).toMatchObject({ signal: "SIGKILL" });
    expect(await daemon.kill()).toMatchObject({ signal: "SIGKILL" }); // again: nothing more to do
  });
});
