import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runPayOverNewChannel } from "../../src/scenario/pay-over-new-channel.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { commandLine, pidsNamed, waitUntilGone } from "../support/processes.js";

const daemons = await detectDaemons();

describe.skipIf(!daemons.ok)(e2eTitle("failures on real daemons", daemons), () => {
  it("Bob killed mid-run: names the step and Bob's death, shows every log, leaves nothing running", {
    timeout: 120_000,
  }, async () => {
    let pids: number[] = [];
    let killed: Promise<void> | undefined;
    const result = await runPayOverNewChannel({
      onNetwork: (net) => {
        pids = [net.bitcoind.pid, net.nodes.alice.pid ?? -1, net.nodes.bob.pid ?? -1];
        // Right after the OpenChannel call returns, Bob crashes.
        const original = net.nodes.alice.client.openChannel.bind(net.nodes.alice.client);
        net.nodes.alice.client.openChannel = async (...args) => {
          const response = await original(...args);
          killed = net.nodes.bob.kill();
          return response;
        };
      },
    });
    await killed;
    expect(result.ok).toBe(false);
    expect(result.failure?.step).toBe("channel usable on both sides");
    expect(result.failure?.message).toMatch(/bob \(ldk-server\) killed by SIGKILL while waiting for: /);
    expect(result.failure?.message).toMatch(/last observed: /);
    for (const name of ["bitcoind", "alice", "bob"])
      expect(result.failure?.message).toMatch(new RegExp(`── ${name}`));
    expect(result.failure?.message).toContain(result.nodes.bob.logPath);
    expect(result.failure?.message).toMatch(
      /── bob \(ldk-server\): killed by SIGKILL\n {3}log: .*\n {3}\| \[/,
    );
    expect(await waitUntilGone(pids, 1000)).toEqual([]);
    // A failed run keeps its directory so the log paths it printed still exist.
    expect(result.runDir).toBeDefined();
    expect(existsSync(result.nodes.bob.logPath)).toBe(true);
    await rm(result.runDir ?? "", { recursive: true, force: true });
  });

  it("the CLI SIGKILLed mid-run leaves no daemon behind and no data dir", { timeout: 60_000 }, async () => {
    const before = new Set([...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")]);
    const cli = spawn(process.execPath, ["dist/cli/main.js", "e2e", "--json"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let progress = "";
    await new Promise<void>((resolve, reject) => {
      cli.stderr.on("data", (chunk: Buffer) => {
        progress += chunk;
        if (progress.includes("[2/9]")) resolve();
      });
      cli.once("exit", () => reject(new Error(`CLI exited before step 2:\n${progress}`)));
    });
    const started = [...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")].filter((p) => !before.has(p));
    expect(started.length).toBe(3);
    const runDir = /-datadir=(\S+)\/bitcoind/.exec(started.map(commandLine).join(" "))?.[1];
    expect(runDir).toMatch(/ldk-regtest-/);
    cli.kill("SIGKILL");
    expect(await waitUntilGone(started, 10_000)).toEqual([]);
    await expect.poll(() => existsSync(runDir ?? ""), { timeout: 5000 }).toBe(false);
  });
});
