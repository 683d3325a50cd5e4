/**
 * Cached networks side by side: for 2 nodes + 1 channel and for 3 nodes + 2 channels, N uncached starts,
 * the first cached start (which builds the template), and N starts from the template, each until every
 * channel is usable on both sides. Prints one JSON object.
 * Usage: npm run bench:cached -- [runs, default 5]
 */
import { rm } from "node:fs/promises";
import { BITCOIND_EXECUTABLE } from "../src/bitcoind/bitcoind.js";
import { findLdkServer } from "../src/ldk-server/ldk-server.js";
import { Network } from "../src/network/network.js";
import { templateDir } from "../src/network/network-template.js";
import { checkTopology } from "../src/network/topology.js";
import type { Topology } from "../src/node/topology-spec.js";
import { findExecutable } from "../src/processes/find-executable.js";
import { summary } from "./stats.js";

const runs = Number(process.argv[2] ?? 5);

const topologies: Record<string, Topology> = {
  twoNodesOneChannel: {
    nodes: { alice: {}, bob: {} },
    channels: [{ from: "alice", to: "bob", sats: 1_000_000 }],
  },
  threeNodesTwoChannels: {
    nodes: { alice: { onchain_sats: 2_000_000 }, bob: { onchain_sats: 1_000_000 }, carol: {} },
    channels: [
      { from: "alice", to: "bob", sats: 1_000_000 },
      { from: "bob", to: "carol", sats: 500_000 },
    ],
  },
};

async function timeStart(topology: Topology, cache: boolean): Promise<number> {
  const t0 = performance.now();
  const net = await Network.start({ topology, cache });
  const ms = Math.round(performance.now() - t0);
  const channels = await Promise.all(
    Object.keys(net.nodes).map(async (n) => net.ldkServer(n).client.listChannels()),
  );
  if (!channels.every((c) => c.channels.every((ch) => ch.isUsable)))
    throw new Error("a channel is not usable");
  await net.stop();
  return ms;
}

const [bitcoind, ldkServer] = await Promise.all([findExecutable(BITCOIND_EXECUTABLE), findLdkServer()]);
const results: Record<string, unknown> = {};
for (const [name, topology] of Object.entries(topologies)) {
  // Start cold: the template of this topology is built by the first cached start below.
  await rm(
    templateDir(checkTopology(topology), { bitcoind: bitcoind.version, ldkServer: ldkServer.version }),
    {
      recursive: true,
      force: true,
    },
  );
  const uncached: number[] = [];
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) uncached.push(await timeStart(topology, false));
  const templateBuildMs = await timeStart(topology, true);
  for (let i = 0; i < runs; i++) cached.push(await timeStart(topology, true));
  process.stderr.write(
    `${name}: uncached ${uncached.join(" ")} ms; template ${templateBuildMs} ms; cached ${cached.join(" ")} ms\n`,
  );
  results[name] = { runs, uncachedMs: summary(uncached), templateBuildMs, cachedMs: summary(cached) };
}
console.log(
  JSON.stringify({ bench: "cached-networks", ...results, cpus: (await import("node:os")).cpus().length }),
);
