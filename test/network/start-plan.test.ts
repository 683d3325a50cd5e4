import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LdkRegtestError } from "../../src/common/errors.js";
import { writeNetworkState } from "../../src/network/network-state.js";
import { planStart } from "../../src/network/start-plan.js";
import { checkTopology } from "../../src/network/topology.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "plan-test-"));
  dirs.push(dir);
  return dir;
};
const topology = {
  nodes: { alice: { onchain_sats: 200_000 }, bob: {} },
  channels: [{ from: "alice", to: "bob", sats: 100_000 }],
};

describe("planStart: options checked against each other and against the dir", () => {
  it.each([
    [{ nodes: ["alice"], topology }, "BAD_OPTION", /either nodes or topology/],
    [{ nodes: ["alice"], cache: true }, "BAD_OPTION", /cache: true needs a topology/],
    [{ nodes: ["Alice"] }, "BAD_TOPOLOGY", /bad node name "Alice"/],
  ])("refuses %j with code %s", async (options, code, message) => {
    const error = await planStart(options).catch((e) => e);
    expect(error).toBeInstanceOf(LdkRegtestError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("resumes a dir's saved topology, and takes the same topology in another key order as the same", async () => {
    const dir = await tempDir();
    const saved = checkTopology(topology);
    await writeNetworkState(dir, {
      version: 1,
      topology: saved,
      ports: { bitcoind: [], nodes: {} },
      nodeIds: {},
    });
    const reordered = {
      channels: [{ sats: 100_000, to: "bob", from: "alice" }],
      nodes: { bob: {}, alice: { onchain_sats: 200_000 } },
    };
    const plan = await planStart({ dir, topology: reordered });
    expect(plan.names).toEqual(["alice", "bob"]);
    expect(plan.saved?.topology).toEqual(saved);
  });

  it("refuses another topology for a dir that holds one, naming the way out", async () => {
    const dir = await tempDir();
    await writeNetworkState(dir, {
      version: 1,
      topology: checkTopology(topology),
      ports: { bitcoind: [], nodes: {} },
      nodeIds: {},
    });
    const error = await planStart({ dir, topology: { nodes: { carol: {} } } }).catch((e) => e);
    expect(error.code).toBe("STATE_CONFLICT");
    expect(error.message).toMatch(/holds a network with another topology.*down --purge/);
  });

  it("nodes with a dir become a topology of unfunded nodes (saved for the resume)", async () => {
    const plan = await planStart({ dir: await tempDir(), nodes: ["alice", "bob"] });
    expect(plan.topology).toEqual({
      nodes: { alice: { onchain_sats: 0 }, bob: { onchain_sats: 0 } },
      channels: [],
    });
  });
});
