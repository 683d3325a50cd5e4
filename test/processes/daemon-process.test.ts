import { spawn } from "node:child_process";
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

  it("kill() and stop() keep the event loop alive until the exit (the daemon is unref'd otherwise)", async () => {
    // In a process with nothing else pending, as under node's test runner: before, the loop drained and
    // the await never returned ("Promise resolution is still pending but the event loop has already resolved").
    const script = `
      import { DaemonProcess } from "./dist/processes/daemon-process.js";
      for (const how of ["kill", "stop"]) {
        const d = DaemonProcess.spawn({ name: "s", command: "sleep", args: ["30"], env: process.env, consolePath: ${JSON.stringify(path.join(dir, "loop.log"))} });
        const exit = await d[how]();
        console.log(how, exit.signal);
      }`;
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd() });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("close", (code) => resolve({ stdout, code }));
    });
    expect(stdout).toBe("kill SIGKILL\nstop SIGTERM\n");
    expect(code).toBe(0);
  });
});
