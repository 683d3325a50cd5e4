import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LdkServerClient, PaymentStatus } from "../../src/client/index.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { commandLine, pidsNamed, waitUntilGone } from "../support/processes.js";

const daemons = await detectDaemons();
const exec = promisify(execFile);
const TOPOLOGY = `
[nodes.alice]
onchain_sats = 2_000_000
[nodes.bob]
onchain_sats = 1_000_000
[nodes.carol]

[[channels]]
from = "alice"
to = "bob"
sats = 1_000_000

[[channels]]
from = "bob"
to = "carol"
sats = 500_000
`;

describe.skipIf(!daemons.ok)(e2eTitle("the dev network CLI on real daemons", daemons), () => {
  let work = "";
  let dir = "";
  const cli = async (...args: string[]) => {
    const { stdout } = await exec(
      process.execPath,
      [path.resolve("dist/cli/main.js"), ...args, "--dir", dir, "--json"],
      {
        cwd: work,
      },
    );
    return JSON.parse(stdout);
  };
  /** Runs the CLI (no --json added) and returns its exit code and output, failing or not. */
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.resolve("dist/cli/main.js"), ...args, "--dir", dir],
        { cwd: work },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });
  /** The foreground `up` as a child process, its output collected. */
  const spawnUp = (...args: string[]) => {
    const child = spawn(process.execPath, [path.resolve("dist/cli/main.js"), "up", "--dir", dir, ...args], {
      cwd: work,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, exited, stdout: () => out, stderr: () => err };
  };
  // Only the daemons of this file's networks (their command lines name its dir): other suites may run.
  const ours = (name: string) => pidsNamed(name).filter((pid) => commandLine(pid).includes(work));
  const daemonPids = () => [...ours("bitcoind"), ...ours("ldk-server")];
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "ldk-regtest-cli-"));
    dir = path.join(work, ".ldk-regtest");
    await writeFile(path.join(work, "ldk-regtest.toml"), TOPOLOGY);
  });
  afterAll(async () => {
    await exec(process.execPath, ["dist/cli/main.js", "down", "--dir", dir]).catch(() => {});
    await rm(work, { recursive: true, force: true });
  });

  it("up → status → invoice → multi-hop pay → down → up (resumed) → down --purge", {
    timeout: 180_000,
  }, async () => {
    const before = new Set(daemonPids());
    const up = await cli("up", "--detach");
    expect(up).toMatchObject({ ok: true, dir });
    expect(Object.keys(up.nodes)).toEqual(["alice", "bob", "carol"]);
    expect(up.channels).toEqual([
      { from: "alice", to: "bob", sats: 1_000_000, usable: true },
      { from: "bob", to: "carol", sats: 500_000, usable: true },
    ]);
    expect(readFileSync(path.join(dir, "alice.env"), "utf8")).toContain(
      `LDK_SERVER_GRPC_ADDRESS=${up.nodes.alice.grpcAddress}`,
    );

    const status = await cli("status");
    expect(status.nodes.bob.channels.map((c: { usable: boolean }) => c.usable)).toEqual([true, true]);
    await expect(cli("up", "--detach")).rejects.toThrow(
      /a network is already up in .* \(supervisor pid \d+\)/,
    );

    const { invoice, paymentHash } = await cli("invoice", "carol", "50000sat", "--description", "coffee");
    expect(invoice).toMatch(/^lnbcrt500u/);
    expect(await cli("pay", "alice", invoice)).toMatchObject({
      ok: true,
      paymentId: paymentHash,
      status: "SUCCEEDED",
    });
    // Without --json every command prints a human line (pay printed a JSON object).
    const second = (await run("invoice", "carol", "1000sat")).stdout.trim();
    expect(second).toMatch(/^lnbcrt10u1\S+$/);
    const paid = await run("pay", "alice", second);
    expect(paid).toMatchObject({ code: 0, stderr: "" });
    expect(paid.stdout).toMatch(/^alice paid: payment [0-9a-f]{64} SUCCEEDED\n$/);
    const human = await run("status");
    expect(human.stdout).toMatch(/^bitcoind up {2}block height \d+/);
    expect(human.stdout).toContain("  → bob  1000000 sat  out ");

    expect(await cli("down")).toMatchObject({ ok: true, stopped: true });
    expect(daemonPids().filter((p) => !before.has(p))).toEqual([]);

    const again = await cli("up", "--detach");
    for (const name of ["alice", "bob", "carol"])
      expect(again.nodes[name].nodeId).toBe(up.nodes[name].nodeId);
    expect(again.channels.every((c: { usable: boolean }) => c.usable)).toBe(true);
    // An app reaches a node with what the connection files say.
    const alice = again.nodes.alice;
    const client = new LdkServerClient({
      address: alice.grpcAddress,
      apiKey: readFileSync(alice.apiKeyPath).toString("hex"),
      certificate: readFileSync(alice.tlsCertPath),
    });
    const { payment } = await client.getPaymentDetails({ paymentId: paymentHash });
    await client.close();
    expect(payment?.status).toBe(PaymentStatus.SUCCEEDED);

    expect(await cli("down", "--purge")).toMatchObject({ ok: true, stopped: true, purged: true });
    expect(existsSync(dir)).toBe(false);
    expect(daemonPids().filter((p) => !before.has(p))).toEqual([]);
    await expect(cli("status")).rejects.toThrow(/no network is up in/);
  });

  it("a bad topology is refused before anything starts", async () => {
    const bad = path.join(work, "bad.toml");
    await writeFile(bad, '[nodes.alice]\n[[channels]]\nfrom = "alice"\nto = "dave"\nsats = 1\n');
    const before = daemonPids();
    await expect(cli("up", "--detach", "--topology", bad)).rejects.toThrow(
      /channels\[0\]\.to: unknown node "dave"/,
    );
    expect(daemonPids()).toEqual(before);
    expect(existsSync(dir)).toBe(false);
  });

  it("SIGKILL of the supervisor: no daemon within 10 s, and the dir resumes", {
    timeout: 120_000,
  }, async () => {
    const before = new Set(daemonPids());
    await cli("up", "--detach");
    const supervisor = JSON.parse(readFileSync(path.join(dir, "supervisor.json"), "utf8")).pid as number;
    const started = daemonPids().filter((p) => !before.has(p));
    expect(started).toHaveLength(4);
    process.kill(supervisor, "SIGKILL");
    expect(await waitUntilGone(started, 10_000)).toEqual([]);
    const resumed = await cli("up", "--detach");
    expect(resumed.channels.every((c: { usable: boolean }) => c.usable)).toBe(true);
    await cli("down", "--purge");
  });

  it("in the foreground, Ctrl-C stops every daemon within 2 s and keeps the state", {
    timeout: 120_000,
  }, async () => {
    const before = new Set(daemonPids());
    const child = spawn(process.execPath, [path.resolve("dist/cli/main.js"), "up", "--dir", dir], {
      cwd: work,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let err = "";
    child.stderr.on("data", (c: Buffer) => {
      err += c;
    });
    await expect.poll(() => err, { timeout: 60_000, interval: 50 }).toContain("Up. Ctrl-C stops it");
    const started = daemonPids().filter((p) => !before.has(p));
    child.kill("SIGINT");
    expect(await waitUntilGone(started, 2000)).toEqual([]);
    expect(await exited).toBe(0);
    expect(existsSync(path.join(dir, "state.json"))).toBe(true);
    await cli("down", "--purge");
  });

  it("bad input is refused with one clear error, exit 1, and nothing sent", {
    timeout: 180_000,
  }, async () => {
    await cli("up", "--detach");
    const { height } = await cli("status");
    const bobOnchain = (await cli("status")).nodes.bob.onchainSats;
    const refusals: [string[], string, RegExp][] = [
      // Was "Network connection closed." after a connection attempt to itself.
      [
        ["open", "alice", "alice", "100000"],
        "BAD_OPTION",
        /^a channel from alice to itself cannot be opened/,
      ],
      // Was bitcoind's "Transaction amount too small".
      [["fund", "bob", "0"], "BAD_OPTION", /0 is below the minimum of 546; send at least 546 sat/],
      [["fund", "bob", "1000.5"], "BAD_OPTION", /"1000.5" is not a whole number/],
      // Was "no answer … within 30000 ms" while bitcoind kept mining for minutes.
      [
        ["mine", "100000"],
        "BAD_OPTION",
        /100000 is above the maximum of 1000; mine 1 to 1000 blocks per call/,
      ],
      [["mine", "abc"], "BAD_OPTION", /"abc" is not a whole number/],
      [
        ["open", "alice", "bob", "1000"],
        "BAD_OPTION",
        /below the minimum of 5000; open a channel of at least 5000 sat/,
      ],
      [
        ["open", "alice", "bob", "90000000"],
        "BAD_OPTION",
        /^alice can spend \d+ sat on-chain, less than the channel's 90000000 sat/,
      ],
      [
        ["open", "alice", "dave", "100000"],
        "UNKNOWN_NODE",
        /^no node "dave" in this network \(nodes: alice, bob, carol\)/,
      ],
      [["fund", "dave", "10000"], "UNKNOWN_NODE", /^no node "dave"/],
      [["pay", "alice", "hello"], "BAD_OPTION", /is not a BOLT11 invoice/],
      [["invoice", "bob", "50"], "BAD_OPTION", /write it with its unit/],
      [["close", "alice", "carol"], "BAD_OPTION", /^alice has no channel with carol/],
      [["logs", "dave"], "UNKNOWN_NODE", /^no node "dave" in .* \(nodes: alice, bob, carol\)/],
    ];
    // Side by side: each is one CLI process refused on its own, and the status after shows none got through.
    const refuse = async ([args, code, message]: (typeof refusals)[number]) => {
      const human = await run(...args);
      expect(human.code, args.join(" ")).toBe(1);
      expect(human.stdout).toBe("");
      const lines = human.stderr.trim().split("\n");
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]?.slice(2)).toMatch(message);
      expect(lines[0]).toMatch(/^✖ /);
      const json = await run(...args, "--json");
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout), args.join(" ")).toMatchObject({
        ok: false,
        error: { code, message: expect.stringMatching(message) },
      });
    };
    await Promise.all(refusals.map(refuse));
    const after = await cli("status");
    expect(after.height).toBe(height);
    expect(after.nodes.bob.onchainSats).toBe(bobOnchain);
    expect(after.nodes.alice.channels).toHaveLength(1);
    // bitcoind is not left busy: the next command answers at once.
    const started = Date.now();
    expect(await cli("mine", "1")).toMatchObject({ ok: true, height: height + 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
    // What passes the checks runs, with a human line.
    const logs = await run("logs", "bob", "--lines", "3");
    expect(logs.stdout.trim().split("\n")).toHaveLength(3);
    const closed = await run("close", "bob", "carol");
    expect(closed).toMatchObject({ code: 0, stderr: "" });
    expect(closed.stdout).toMatch(
      /^closed the channel bob → carol \([0-9a-f]{64}\): closing transaction confirmed\n$/,
    );
    expect((await cli("status")).nodes.carol.channels).toEqual([]);
    await cli("down");
  });

  it("SIGINT while `up` starts: exit 130 with 'interrupted', no daemon left; the next up and down work", {
    timeout: 240_000,
  }, async () => {
    await cli("down", "--purge");
    const before = new Set(daemonPids());
    const up = spawnUp();
    // Interrupt once the nodes are starting (bitcoind runs, the network is not built yet).
    await expect
      .poll(() => ours("ldk-server").filter((p) => !before.has(p)).length, {
        timeout: 60_000,
        interval: 20,
      })
      .toBeGreaterThan(0);
    const started = daemonPids().filter((p) => !before.has(p));
    up.child.kill("SIGINT");
    expect(await up.exited, up.stderr()).toBe(130);
    expect(up.stderr()).toMatch(/✖ interrupted \(SIGINT\): stopped every daemon\n/);
    expect(up.stderr()).not.toContain("undefined");
    expect(await waitUntilGone(started, 5000)).toEqual([]);

    const again = await cli("up", "--detach");
    expect(again.channels.every((c: { usable: boolean }) => c.usable)).toBe(true);
    expect(await cli("down")).toMatchObject({ ok: true, stopped: true });
    expect(daemonPids().filter((p) => !before.has(p))).toEqual([]);
  });

  it("SIGINT during `up --detach`: exit 130, the supervisor and its daemons stopped", {
    timeout: 120_000,
  }, async () => {
    await cli("down", "--purge");
    const before = new Set(daemonPids());
    const up = spawnUp("--detach", "--json");
    await expect
      .poll(() => ours("ldk-server").filter((p) => !before.has(p)).length, {
        timeout: 60_000,
        interval: 20,
      })
      .toBeGreaterThan(0);
    up.child.kill("SIGINT");
    expect(await up.exited, up.stderr()).toBe(130);
    expect(JSON.parse(up.stdout())).toMatchObject({
      ok: false,
      error: { code: "ABORTED", message: "interrupted (SIGINT): stopped every daemon", signal: "SIGINT" },
    });
    expect(
      await waitUntilGone(
        daemonPids().filter((p) => !before.has(p)),
        5000,
      ),
    ).toEqual([]);
    expect(existsSync(path.join(dir, "supervisor.json"))).toBe(false);
    await cli("down", "--purge");
  });
});
