import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect } from "vitest";
import { PaymentStatus } from "../../src/index.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const run = promisify(execFile);
const daemons = await detectDaemons();
const cli = await run("ldk-server-cli", ["--version"]).then(
  () => true,
  () => false,
);
const title = cli
  ? e2eTitle("upstream's ldk-server-cli against our nodes", daemons)
  : "upstream's ldk-server-cli against our nodes — SKIPPED: ldk-server-cli not on PATH (cargo build -p ldk-server-cli in an ldk-server checkout)";

/** Runs upstream's CLI with a node's own config.toml, as docs/dev-network.md tells users to; parses its JSON. */
async function ldkServerCli<T>(configPath: string, ...args: string[]): Promise<T> {
  const { stdout } = await run("ldk-server-cli", ["--config", configPath, ...args]);
  return JSON.parse(stdout) as T;
}

const test = networkTest<"alice" | "bob">({
  topology: { nodes: { alice: {}, bob: {} }, channels: [{ from: "alice", to: "bob", sats: 500_000 }] },
  cache: true,
});

describe.skipIf(!daemons.ok || !cli)(title, () => {
  test("reads each node's config.toml: node info, an invoice on bob, paid from alice", {
    timeout: 90_000,
  }, async ({ network: net }) => {
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    const info = await ldkServerCli<{ node_id: string }>(alice.configPath, "get-node-info");
    expect(info.node_id).toBe(alice.nodeId);
    const invoice = await ldkServerCli<{ invoice: string; payment_hash: string }>(
      bob.configPath,
      "bolt11-receive",
      "50sat",
      "--description",
      "via upstream's CLI",
    );
    const sent = await ldkServerCli<{ payment_id: string }>(alice.configPath, "bolt11-send", invoice.invoice);
    expect(sent.payment_id).toBe(invoice.payment_hash);
    expect((await alice.waitForListedPayment(sent.payment_id)).status).toBe(PaymentStatus.SUCCEEDED);
    expect((await bob.waitForListedPayment(invoice.payment_hash)).amountMsat).toBe(50_000n);
  });
});
