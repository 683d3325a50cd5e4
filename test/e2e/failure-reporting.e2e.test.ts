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
        pids = [net.bitcoind.pid ?? -1, net.ldkServer("alice").pid ?? -1, net.ldkServer("bob").pid ?? -1];
        // Right after the OpenChannel call returns, Bob crashes.
        const original = net.ldkServer("alice").client.openChannel.bind(net.ldkServer("alice").client);
        net.ldkServer("alice").client.openChannel = async (...args) => {
          const response = await original(...args);
          killed = net.ldkServer("bob").kill();
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
    const cli = startCli(["--json"]);
    await cli.reached("[2/9]");
    const started = cli.daemons();
    expect(started.length).toBe(3);
    const runDir = cli.runDir();
    expect(runDir).toMatch(/ldk-regtest-/);
    cli.process.kill("SIGKILL");
    expect(await waitUntilGone(started, 10_000)).toEqual([]);
    await expect.poll(() => existsSync(runDir), { timeout: 5000 }).toBe(false);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "the CLI on %s stops every daemon, removes its data dir and exits %i",
    { timeout: 60_000 },
    async (signal, code) => {
      const cli = startCli(["--json"]);
      await cli.reached("[2/9]");
      const started = cli.daemons();
      expect(started.length).toBe(3);
      cli.process.kill(signal);
      expect(await cli.exited).toBe(code);
      expect(JSON.parse(cli.stdout())).toMatchObject({
        ok: false,
        failure: { message: `interrupted by ${signal}` },
      });
      expect(await waitUntilGone(started, 1000)).toEqual([]);
      expect(existsSync(cli.runDir())).toBe(false);
    },
  );

  it("Ctrl-C during setup stops every daemon before the CLI exits, and still prints the JSON object", {
    timeout: 60_000,
  }, async () => {
    const cli = startCli(["--json"]);
    // bitcoind of the run (a version check, e.g. `bitcoind -version`, is no daemon of the run)
    await expect.poll(() => cli.runDir(), { timeout: 30_000, interval: 5 }).toMatch(/ldk-regtest-/);
    expect(cli.stderr()).not.toContain("[2/9]"); // still setting up
    const started = cli.daemons();
    const runDir = cli.runDir();
    cli.process.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    // It exits only once it has stopped them (how fast is bench:e2e's business): none is left.
    expect(await waitUntilGone([...started, ...cli.daemons()], 1000)).toEqual([]);
    expect(JSON.parse(cli.stdout())).toMatchObject({
      ok: false,
      failure: { message: "interrupted by SIGINT" },
    });
    expect(runDir).toMatch(/ldk-regtest-/);
    expect(existsSync(runDir)).toBe(false);
  });

  it("a second Ctrl-C exits at once, still printing one JSON object; the watchdog stops the daemons", {
    timeout: 60_000,
  }, async () => {
    const cli = startCli(["--json"]);
    await cli.reached("[2/9]");
    const started = cli.daemons();
    cli.process.kill("SIGINT");
    cli.process.kill("SIGINT");
    expect(await cli.exited).toBe(130);
    expect(JSON.parse(cli.stdout())).toMatchObject({ ok: false });
    expect(await waitUntilGone(started, 7000)).toEqual([]);
  });

  it("the CLI with --json --keep prints the result object, exits 0 and keeps the data dirs", {
    timeout: 60_000,
  }, async () => {
    const cli = startCli(["--json", "--keep"]);
    expect(await cli.exited).toBe(0);
    const result = JSON.parse(cli.stdout());
    expect(result).toMatchObject({
      ok: true,
      channel: { aliceUsable: true, bobUsable: true },
      payment: {
        alice: { direction: "OUTBOUND", status: "SUCCEEDED" },
        bob: { direction: "INBOUND", status: "SUCCEEDED" },
      },
    });
    expect(result.steps.map((s: { name: string }) => s.name)).toHaveLength(9);
    expect(result.nodes.alice.nodeId).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(existsSync(result.nodes.bob.logPath)).toBe(true);
    expect(cli.stderr()).toContain(`Data dirs kept in ${result.runDir}`);
    await rm(result.runDir, { recursive: true, force: true });
  });
});

/** The built CLI as a child process, with helpers to follow its progress and find its daemons. */
function startCli(args: string[]) {
  const before = new Set([...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")]);
  const child = spawn(process.execPath, ["dist/cli/main.js", "e2e", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c));
  child.stderr.on("data", (c: Buffer) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const daemons = () => [...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")].filter((p) => !before.has(p));
  return {
    process: child,
    exited,
    stdout: () => out,
    stderr: () => err,
    daemons,
    /** The run dir, read off bitcoind's command line. */
    runDir: () => /-datadir=(\S+)\/bitcoind/.exec(daemons().map(commandLine).join(" "))?.[1] ?? "",
    reached: (text: string) =>
      expect.poll(() => out + err, { timeout: 30_000, interval: 20 }).toContain(text),
  };
}
