import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeNetworkState } from "../../src/network/network-state.js";
import { copyTemplate, ensureTemplate, templateDir } from "../../src/network/network-template.js";
import type { Topology } from "../../src/node/topology-spec.js";
import { useTempCache } from "../support/temp-cache.js";

const topology: Topology = {
  nodes: { alice: {}, bob: {} },
  channels: [{ from: "alice", to: "bob", sats: 1 }],
};
const versions = { bitcoind: "Bitcoin Core v31.0.0", ldkServer: "ldk-server 0.1.0 (7f3276a)" };

describe("network templates", () => {
  const cacheDir = useTempCache("each");

  /** What a build does, minus the daemons: a node dir and the state that marks a finished network. */
  async function fakeBuild(dir: string): Promise<void> {
    await mkdir(path.join(dir, "alice"));
    await writeFile(path.join(dir, "alice", "wallet"), "funded");
    await writeNetworkState(dir, {
      version: 1,
      topology,
      ports: { bitcoind: [1, 2], nodes: { alice: [3, 4], bob: [5, 6] } },
      nodeIds: { alice: "02aa", bob: "03bb" },
    });
  }

  it("are keyed by topology and both daemons' versions, under <cache>/networks", () => {
    const dir = templateDir(topology, versions);
    expect(path.dirname(dir)).toBe(path.join(cacheDir(), "networks"));
    expect(templateDir(structuredClone(topology), { ...versions })).toBe(dir);
    expect(
      templateDir({ ...topology, channels: [{ from: "alice", to: "bob", sats: 2 }] }, versions),
    ).not.toBe(dir);
    expect(templateDir(topology, { ...versions, bitcoind: "Bitcoin Core v30.2.0" })).not.toBe(dir);
    expect(templateDir(topology, { ...versions, ldkServer: "ldk-server 0.1.0 (1234567)" })).not.toBe(dir);
  });

  it("is built once when many starts ask for it at once", async () => {
    let builds = 0;
    const dir = templateDir(topology, versions);
    const build = async (into: string) => {
      builds++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      await fakeBuild(into);
    };
    const got = await Promise.all([
      ensureTemplate(dir, build),
      ensureTemplate(dir, build),
      ensureTemplate(dir, build),
    ]);
    expect(got).toEqual([dir, dir, dir]);
    expect(builds).toBe(1);
    await ensureTemplate(dir, build);
    expect(builds).toBe(1);
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes(".building-"))).toEqual([]);
  });

  it("a failed build leaves no template, keeps its dir for inspection until the next build", async () => {
    const dir = templateDir(topology, versions);
    const failed = await ensureTemplate(dir, async (into) => {
      await writeFile(path.join(into, "half"), "");
      throw new Error("bitcoind died");
    }).catch((e) => e);
    expect(failed.message).toBe("bitcoind died");
    expect(existsSync(dir)).toBe(false);
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes(".building-"))).toHaveLength(1);
    await ensureTemplate(dir, fakeBuild);
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes(".building-"))).toEqual([]);
  });

  it("copies are separate from the template", async () => {
    const dir = await ensureTemplate(templateDir(topology, versions), fakeBuild);
    const run = await mkdtemp(path.join(cacheDir(), "run-"));
    await copyTemplate(dir, run);
    await writeFile(path.join(run, "alice", "wallet"), "spent");
    expect(existsSync(path.join(run, "state.json"))).toBe(true);
    expect(await readFile(path.join(dir, "alice", "wallet"), "utf8")).toBe("funded");
  });
});
