import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LdkServerClient, PaymentStatus } from "../../src/client/index.js";
import { defaultTimeout } from "../../src/common/durations.js";
import { Supervisor } from "../../src/devnet/supervisor.js";
import type { LdkServerSimNode } from "../../src/ldk-server/kind.js";
import type { SimFile } from "../../src/simln/sim-file.js";
import { waitFor } from "../../src/waits/wait-for.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();
const exec = promisify(execFile);

describe.skipIf(!daemons.ok)(e2eTitle("ldk-regtest simln on a real dev network", daemons), () => {
  let dir = "";
  let supervisor: Supervisor | undefined;
  let sim: SimFile;
  let out = "";
  let notes = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-simln-"));
    supervisor = await Supervisor.start({
      dir,
      topology: {
        nodes: { alice: { onchain_sats: 1_000_000 }, bob: { onchain_sats: 500_000 }, carol: {} },
        channels: [
          { from: "alice", to: "bob", sats: 500_000, push_sats: 100_000 },
          { from: "bob", to: "carol", sats: 200_000 },
          { from: "bob", to: "alice", sats: 100_000, announce: false },
        ],
      },
    });
    out = path.join(dir, "sim-file.json");
    const { stdout, stderr } = await exec(process.execPath, [
      path.resolve("dist/cli/main.js"),
      "simln",
      "--dir",
      dir,
      "--out",
      out,
      "--activity",
      "alice:bob:5sat:2:3",
      "--json",
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, file: path.resolve(out), nodes: 3, activity: 1 });
    sim = JSON.parse(await readFile(out, "utf8")) as SimFile;
    notes = stderr;
  }, 300_000);

  afterAll(async () => {
    await supervisor?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one entry per node with SimLN's ldk-server fields, and the activity with node ids", async () => {
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(sim.nodes).toHaveLength(3);
    for (const entry of sim.nodes) expect(Object.keys(entry).sort()).toEqual(["address", "api_key", "cert"]);
    const net = supervisor?.network;
    expect(sim.activity).toEqual([
      {
        source: net?.nodes.alice?.nodeId,
        destination: net?.nodes.bob?.nodeId,
        amount_msat: 5000,
        interval_secs: 2,
        count: 3,
      },
    ]);
  });

  it("names the channels SimLN cannot route through", () => {
    expect(notes).toContain("SimLN routes over announced channels only, and these are private: bob → alice");
  });

  it("each entry, used exactly as written, authenticates against its node", async () => {
    const ids = [];
    for (const entry of sim.nodes as LdkServerSimNode[]) {
      const client = new LdkServerClient({
        address: entry.address,
        apiKey: entry.api_key,
        certificate: await readFile(entry.cert),
      });
      ids.push((await client.getNodeInfo()).nodeId);
      // and the key is what authenticates: another key is refused
      const wrong = new LdkServerClient({
        address: entry.address,
        apiKey: "00".repeat(32),
        certificate: await readFile(entry.cert),
      });
      await expect(wrong.getNodeInfo()).rejects.toMatchObject({ code: "LDK_SERVER_CALL" });
    }
    const net = supervisor?.network;
    expect(ids.sort()).toEqual(
      ["alice", "bob", "carol"].map((name) => net?.nodes[name as "alice"]?.nodeId).sort(),
    );
  });

  it("the payment SimLN sends (a keysend, tracked by its id) reaches a node two hops away", async () => {
    const net = supervisor?.network;
    const alice = sim.nodes[0] as LdkServerSimNode; // entries in the network's node order
    const client = new LdkServerClient({
      address: alice.address,
      apiKey: alice.api_key,
      certificate: await readFile(alice.cert),
    });
    expect((await client.getNodeInfo()).nodeId).toBe(net?.nodes.alice?.nodeId);
    const { paymentId } = await client.spontaneousSend({
      amountMsat: 5_000n,
      nodeId: net?.nodes.carol?.nodeId,
    });
    const status = await waitFor(
      "alice's keysend to carol to settle",
      async () => (await client.getPaymentDetails({ paymentId })).payment?.status,
      {
        until: (s) => s === PaymentStatus.SUCCEEDED || s === PaymentStatus.FAILED,
        timeoutMs: defaultTimeout("payment"),
      },
    );
    expect(status).toBe(PaymentStatus.SUCCEEDED);
  });

  it("refuses a bad --activity before writing anything, naming the nodes", async () => {
    const run = exec(process.execPath, [
      path.resolve("dist/cli/main.js"),
      "simln",
      "--dir",
      dir,
      "--out",
      path.join(dir, "bad.json"),
      "--activity",
      "alice:dave:5sat:2",
    ]);
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('no node "dave"') });
    await expect(stat(path.join(dir, "bad.json"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
