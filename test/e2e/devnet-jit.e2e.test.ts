import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LDK_SERVER_LSPS2_EXECUTABLE } from "../../src/ldk-server/executable.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons([LDK_SERVER_LSPS2_EXECUTABLE]);
const exec = promisify(execFile);
const TOPOLOGY = `
[nodes.alice]
[nodes.lsp]
onchain_sats = 2_000_000
lsps2_service = {}
[nodes.carol]
lsps2_client = "lsp"

[[channels]]
from = "alice"
to = "lsp"
sats = 1_000_000
`;

describe.skipIf(!daemons.ok)(e2eTitle("the dev network's JIT invoices (invoice --jit)", daemons), () => {
  let work = "";
  let dir = "";
  const cli = async (...args: string[]) => {
    const main = path.resolve("dist/cli/main.js");
    const { stdout } = await exec(process.execPath, [main, ...args, "--dir", dir, "--json"], { cwd: work });
    return JSON.parse(stdout);
  };
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "ldk-regtest-cli-jit-"));
    dir = path.join(work, ".ldk-regtest");
    await writeFile(path.join(work, "ldk-regtest.toml"), TOPOLOGY);
  });
  afterAll(async () => {
    await exec(process.execPath, ["dist/cli/main.js", "down", "--dir", dir]).catch(() => {});
    await rm(work, { recursive: true, force: true });
  });

  it("up → invoice carol --jit → alice pays (the supervisor confirms the LSP's channel) → carol has it", {
    timeout: 180_000,
  }, async () => {
    expect(await cli("up", "--detach")).toMatchObject({ ok: true });
    const refused = await cli("invoice", "alice", "5000sat", "--jit").catch((e) => JSON.parse(e.stdout));
    expect(refused).toMatchObject({ ok: false, error: { code: "BAD_OPTION" } });
    expect(refused.error.message).toMatch(/alice has no LSP/);

    const invoice = await cli("invoice", "carol", "20000sat", "--jit");
    expect(invoice).toMatchObject({ ok: true, node: "carol", lsp: "lsp" });
    const paid = await cli("pay", "alice", invoice.invoice);
    expect(paid).toMatchObject({ ok: true, status: "SUCCEEDED" });

    const status = await cli("status");
    const carolChannels = status.nodes.carol.channels;
    expect(carolChannels).toEqual([
      expect.objectContaining({ peer: "lsp", usable: true, announced: false, outbound: false }),
    ]);
    // 20,000 sat × 100 ppm = 2,000 msat withheld (the test defaults): carol holds the rest.
    expect(BigInt(carolChannels[0].outboundMsat)).toBeLessThan(20_000_000n - 2_000n);
    expect(BigInt(status.nodes.carol.lightningSats)).toBe((20_000_000n - 2_000n) / 1000n);
    await cli("down");
  });
});
