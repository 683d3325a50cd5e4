/**
 * Topology bring-up: Network.start({ topology }) until every channel is usable on both sides, for the
 * dev-network issue's 3 nodes + 2 channels (N runs) and a ring of R nodes (one channel each to the next).
 * Prints one JSON object: totals (median, p95), phases, each node's start time and RSS.
 * Usage: npm run bench:topology -- [runs, default 5] [ring size, default 16; 0 skips it]
 */
import { Network } from "../src/network/network.js";
import type { Topology } from "../src/network/topology.js";
import { rssMiB, summary } from "./stats.js";

const runs = Number(process.argv[2] ?? 5);
const ringSize = Number(process.argv[3] ?? 16);

const three: Topology = {
  nodes: { alice: { onchain_sats: 2_000_000 }, bob: { onchain_sats: 1_000_000 }, carol: {} },
  channels: [
    { from: "alice", to: "bob", sats: 1_000_000 },
    { from: "bob", to: "carol", sats: 500_000 },
  ],
};

function ring(size: number): Topology {
  const names = Array.from({ length: size }, (_, i) => `node-${i}`);
  return {
    nodes: Object.fromEntries(names.map((n) => [n, {}])),
    channels: names.map((from, i) => ({ from, to: names[(i + 1) % size] as string, sats: 500_000 })),
  };
}

async function measure(topology: Topology) {
  let bitcoindMs = 0;
  const t0 = performance.now();
  const net = await Network.start({ topology, onBitcoindReady: () => (bitcoindMs = performance.now() - t0) });
  const totalMs = Math.round(performance.now() - t0);
  const nodes = Object.values(net.nodes);
  const nodesReadyMs = Math.max(...nodes.map((n) => n.startupMs));
  const result = {
    totalMs,
    bitcoindMs: Math.round(bitcoindMs),
    nodesStartMs: nodesReadyMs,
    fundAndChannelsMs: Math.round(totalMs - bitcoindMs - nodesReadyMs),
    nodeStartMs: nodes.map((n) => n.startupMs),
    nodeRssMiB: nodes.map((n) => rssMiB(n.pid)),
    bitcoindRssMiB: rssMiB(net.bitcoind.pid),
  };
  await net.stop();
  return result;
}

const threeRuns = [];
for (let i = 0; i < runs; i++) {
  threeRuns.push(await measure(three));
  process.stderr.write(`3 nodes, 2 channels: run ${i + 1}/${runs} ${threeRuns.at(-1)?.totalMs} ms\n`);
}
const ringRun = ringSize > 0 ? await measure(ring(ringSize)) : undefined;
if (ringRun) process.stderr.write(`ring of ${ringSize}: ${ringRun.totalMs} ms\n`);
console.log(
  JSON.stringify({
    bench: "topology",
    threeNodesTwoChannels: {
      runs,
      totalMs: summary(threeRuns.map((r) => r.totalMs)),
      last: threeRuns.at(-1),
    },
    ring: ringRun && { nodes: ringSize, ...ringRun },
    cpus: (await import("node:os")).cpus().length,
  }),
);
