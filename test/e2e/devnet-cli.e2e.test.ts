import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LdkServerClient, PaymentStatus } from "../../src/client/index.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pidsNamed, waitUntilGone } from "../support/processes.js";

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
  const daemonPids = () => [...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")];
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
});
