import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboard } from "../../src/dashboard/dashboard-server.js";
import { networkView } from "../../src/dashboard/network-view.js";
import type { ConnectionsFile } from "../../src/devnet/devnet-files.js";
import { devnetOperations } from "../../src/devnet/operations.js";
import { Supervisor } from "../../src/devnet/supervisor.js";
import { lncliBeside } from "../../src/lnd/executable.js";
import type { LndConnection, LndSimNode } from "../../src/lnd/kind.js";
import { LndClient } from "../../src/lnd/lnd-client.js";
import { LndRest } from "../../src/lnd/lnd-rest.js";
import type { SimFile } from "../../src/simln/sim-file.js";
import { CHROMIUM, NO_CHROMIUM } from "../support/chromium.js";
import { e2eTitle } from "../support/daemons.js";
import { devnetCli } from "../support/devnet-cli.js";
import { detectMixedDaemons } from "../support/lnd.js";
import { lndGrpcCall, protoString } from "../support/lnd-grpc.js";

const daemons = await detectMixedDaemons();
const exec = promisify(execFile);
const timeout = 120_000;
if (daemons.ok && !CHROMIUM) console.warn(`\n!!! the devnet-lnd dashboard check SKIPPED: ${NO_CHROMIUM}`);

/** One LDK node (alice) and one LND node (dave), one channel alice → dave. */
const topology = {
  nodes: { alice: { onchain_sats: 2_000_000 }, dave: { kind: "lnd" as const, onchain_sats: 1_000_000 } },
  channels: [{ from: "alice", to: "dave", sats: 500_000, push_sats: 100_000 }],
};

describe.skipIf(!daemons.ok)(e2eTitle("the dev network with an LND node", daemons), () => {
  let dir = "";
  let supervisor: Supervisor | undefined;
  let files: ConnectionsFile;
  let dave: LndConnection;
  const cli = (...args: string[]) => devnetCli(dir, ...args);
  const env = async (name: string) =>
    Object.fromEntries(
      (await readFile(path.join(dir, `${name}.env`), "utf8"))
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    ) as Record<string, string>;

  beforeAll(async () => {
    if (!existsSync("dist/cli/main.js"))
      throw new Error("build first: npm run build (the test runs the CLI)");
    dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-devnet-lnd-"));
    supervisor = await Supervisor.start({ dir, topology, ui: startDashboard });
    files = JSON.parse(await readFile(path.join(dir, "connections.json"), "utf8")) as ConnectionsFile;
    dave = files.nodes.dave as LndConnection;
  }, 300_000);

  afterAll(async () => {
    await supervisor?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("status shows the lnd node: kind, id, balances, the channel usable; no secret on stdout", {
    timeout,
  }, async () => {
    const { json, stdout } = await cli("status");
    const node = json.nodes.dave;
    expect(node).toMatchObject({
      kind: "lnd",
      nodeId: supervisor?.network.node("dave").nodeId,
      alive: true,
      grpcAddress: dave.grpcAddress,
      restAddress: dave.restAddress,
      macaroonPath: dave.macaroonPath,
    });
    expect(BigInt(node.onchainSats)).toBeGreaterThan(0n);
    expect(node.channels).toEqual([
      expect.objectContaining({ peer: "alice", sats: "500000", usable: true, outbound: false }),
    ]);
    expect(json.nodes.alice.channels).toEqual([expect.objectContaining({ peer: "dave", outbound: true })]);
    const macaroon = await readFile(dave.macaroonPath);
    for (const secret of ["lndconnect", macaroon.toString("hex"), macaroon.toString("base64url")])
      expect(stdout).not.toContain(secret);
  });

  it("connections.json and dave.env: gRPC, REST, cert, macaroon and an lndconnect URI, 0600", async () => {
    expect(dave).toMatchObject({ kind: "lnd", nodeId: supervisor?.network.node("dave").nodeId });
    const uri = new URL(dave.lndconnect ?? "");
    expect(uri.host).toBe(dave.grpcAddress);
    const cert = new X509Certificate(await readFile(dave.tlsCertPath));
    const der = Buffer.from(uri.searchParams.get("cert") ?? "", "base64url");
    expect(new X509Certificate(der).fingerprint256).toBe(cert.fingerprint256);
    expect(Buffer.from(uri.searchParams.get("macaroon") ?? "", "base64url")).toEqual(
      await readFile(dave.macaroonPath),
    );
    expect(await env("dave")).toMatchObject({
      LND_GRPC_ADDRESS: dave.grpcAddress,
      LND_REST_ADDRESS: dave.restAddress,
      LND_TLS_CERT: dave.tlsCertPath,
      LND_MACAROON_PATH: dave.macaroonPath,
      LND_CONNECT_URI: dave.lndconnect,
    });
    for (const file of ["connections.json", "dave.env", "alice.env"])
      expect((await stat(path.join(dir, file))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it("the mixed networks guide's lncli line against the devnet node, from dave.env", {
    timeout,
  }, async () => {
    const lncli = lncliBeside((await import("../../src/lnd/executable.js").then((m) => m.findLnd())).path);
    if (!existsSync(lncli)) {
      console.warn(`\n!!! lncli check SKIPPED: no lncli beside lnd (${lncli})`);
      return;
    }
    const e = await env("dave");
    const { stdout } = await exec(lncli, [
      "--rpcserver",
      e.LND_GRPC_ADDRESS as string,
      "--tlscertpath",
      e.LND_TLS_CERT as string,
      "--macaroonpath",
      e.LND_MACAROON_PATH as string,
      "--network",
      "regtest",
      "getinfo",
    ]);
    const info = JSON.parse(stdout);
    expect(info.identity_pubkey).toBe(e.LND_NODE_ID);
    expect(info.num_active_channels).toBe(1);
    expect(info.chains).toEqual([{ chain: "bitcoin", network: "regtest" }]);
  });

  it("invoice on dave paid from alice, and an invoice on alice paid from dave", { timeout }, async () => {
    const toDave = (await cli("invoice", "dave", "20000sat", "--description", "to lnd")).json;
    expect(toDave.invoice).toMatch(/^lnbcrt200u1/);
    expect((await cli("pay", "alice", toDave.invoice)).json).toMatchObject({
      node: "alice",
      status: "SUCCEEDED",
    });
    const settled = await supervisor?.network
      .lnd("dave")
      .client.lookupInvoice({ paymentHash: toDave.paymentHash });
    expect(settled).toMatchObject({ state: "SETTLED", amt_paid_msat: "20000000" });
    const toAlice = (await cli("invoice", "alice", "5000sat")).json;
    const paid = (await cli("pay", "dave", toAlice.invoice)).json;
    expect(paid).toMatchObject({ node: "dave", paymentId: toAlice.paymentHash, status: "SUCCEEDED" });
    expect(await supervisor?.network.node("alice").waitForPaymentOutcome(toAlice.paymentHash)).toBe(
      "SUCCEEDED",
    );
  });

  it("the dashboard's view lists dave's payments both ways", { timeout }, async () => {
    const net = supervisor?.network;
    if (!net) throw new Error("no network");
    const view = await networkView(net, devnetOperations(net));
    expect(view.nodes.dave?.kind).toBe("lnd");
    expect(view.nodes.dave?.payments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ direction: "inbound", status: "succeeded", amountMsat: "20000000" }),
        expect.objectContaining({ direction: "outbound", status: "succeeded", amountMsat: "5000000" }),
      ]),
    );
    expect(view.nodes.dave?.log?.length).toBeGreaterThan(0);
  });

  it.skipIf(!CHROMIUM)(
    "the dashboard in Chromium shows dave (lnd) and pays from it through the form",
    {
      timeout,
    },
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
      try {
        const page = await browser.newPage();
        await page.goto((await cli("ui")).json.url);
        const card = page.locator('article[data-node="dave"]');
        await expect.poll(() => card.textContent()).toContain(dave.nodeId);
        expect(await card.textContent()).toContain("lnd");
        const drawn = page.locator('g.channel[data-from="alice"][data-to="dave"]');
        expect(await drawn.getAttribute("data-usable")).toBe("true");
        await page.selectOption("#pay-payer", "dave");
        await page.selectOption("#pay-payee", "alice");
        await page.fill("#pay-amount", "1000sat");
        await page.click("#pay button");
        await expect
          .poll(() => page.locator("#pay-out").textContent(), { timeout: 60_000 })
          .toMatch(/^SUCCEEDED: dave paid alice 1000sat/);
        await expect.poll(() => card.textContent()).toContain("outbound 1,000 sat succeeded");
      } finally {
        await browser.close();
      }
    },
  );

  it("fund dave: its on-chain balance grows by the amount, confirmed", { timeout }, async () => {
    const before = BigInt((await cli("status")).json.nodes.dave.onchainSats);
    const funded = (await cli("fund", "dave", "250000")).json;
    expect(funded).toMatchObject({ node: "dave", sats: 250_000 });
    expect(funded.address).toMatch(/^bcrt1/);
    const after = (await cli("status")).json.nodes.dave;
    expect(BigInt(after.onchainSats) - before).toBe(250_000n);
  });

  it("close from LDK, then LND opens a channel to LDK and closes it", { timeout: 240_000 }, async () => {
    expect((await cli("close", "alice", "dave")).json).toMatchObject({ state: "CLOSED" });
    let status = (await cli("status")).json;
    expect([status.nodes.alice.channels, status.nodes.dave.channels]).toEqual([[], []]);
    const opened = (await cli("open", "dave", "alice", "300000", "--push", "10000")).json;
    expect(opened).toMatchObject({ from: "dave", to: "alice", sats: 300_000, usable: true });
    status = (await cli("status")).json;
    expect(status.nodes.dave.channels).toEqual([
      expect.objectContaining({ peer: "alice", sats: "300000", outbound: true, usable: true }),
    ]);
    expect(status.nodes.alice.channels).toEqual([
      expect.objectContaining({ channelId: opened.channelId, outbound: false }),
    ]);
    expect((await cli("close", "dave", "alice")).json).toMatchObject({
      channelId: opened.channelId,
      state: "CLOSED",
    });
    status = (await cli("status")).json;
    expect([status.nodes.alice.channels, status.nodes.dave.channels]).toEqual([[], []]);
    // Both closes were cooperative: lnd lists a channel as closed once its close is 3 blocks deep.
    await cli("mine", "3");
    const closed = await supervisor?.network
      .lnd("dave")
      .client.rest.get<{ channels?: { close_type: string }[] }>("/v1/channels/closed");
    expect(closed?.channels?.map((c) => c.close_type)).toEqual(["COOPERATIVE_CLOSE", "COOPERATIVE_CLOSE"]);
  });

  it("simln: dave's entry, used exactly as written, authenticates over gRPC; the macaroon over REST too", {
    timeout,
  }, async () => {
    const out = path.join(dir, "sim.json");
    await cli("simln", "--out", out);
    const sim = JSON.parse(await readFile(out, "utf8")) as SimFile;
    const entry = sim.nodes.find((n) => "id" in n) as LndSimNode;
    expect(Object.keys(entry).sort()).toEqual(["address", "cert", "id", "macaroon"]);
    expect(entry.id).toBe(dave.nodeId);
    const grpc = new URL(entry.address);
    expect(grpc.protocol).toBe("https:");
    const macaroon = await readFile(entry.macaroon);
    const answer = await lndGrpcCall(entry.address, entry.cert, macaroon, "/lnrpc.Lightning/GetInfo");
    expect(answer).toMatchObject({ authorized: true, grpcStatus: 0 });
    expect(protoString(answer.reply, 1)).toBe(entry.id); // GetInfoResponse.identity_pubkey
    // and the macaroon is what authenticates: without a valid one lnd refuses the call
    const refused = await lndGrpcCall(
      entry.address,
      entry.cert,
      Buffer.from("00", "hex"),
      "/lnrpc.Lightning/GetInfo",
    );
    expect(refused.grpcStatus).not.toBe(0);
    const rest = new LndClient(new LndRest(dave.restAddress, await readFile(entry.cert), macaroon));
    expect((await rest.getInfo()).identity_pubkey).toBe(entry.id);
  });

  it("logs dave: the tail of lnd's own log", { timeout }, async () => {
    const { json } = await cli("logs", "dave", "--lines", "5");
    expect(json.file).toBe(dave.logPath);
    expect(json.lines).toHaveLength(5);
  });

  it("status with dave killed: dave DOWN with why, alice and the chain still shown", {
    timeout,
  }, async () => {
    await supervisor?.network.node("dave").kill();
    const { json } = await cli("status");
    expect(json.nodes.dave).toMatchObject({
      kind: "lnd",
      alive: false,
      error: "it is not running",
      channels: [],
    });
    expect(json.nodes.alice).toMatchObject({ alive: true });
    expect(BigInt(json.nodes.alice.onchainSats)).toBeGreaterThan(0n);
    expect(json.height).toBeGreaterThan(100);
  });
});
