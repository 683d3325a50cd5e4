/**
 * Topology bring-up: Network.start({ topology }) until every channel is usable on both sides, for the
 * dev-network issue's 3 nodes + 2 channels (N runs) and a ring of R nodes (one channel each to the next).
 * Prints one JSON object: totals (median, p95), phases, each node's start time and RSS.
 * With `--compare`, the 3-node runs alternate the test and the stock build of ldk-server (builds.ts).
 * Usage: npm run bench:topology -- [runs, default 5] [ring size, default 16; 0 skips it] [--compare]
 */
import { Network } from "../src/network/network.js";
import type { Topology } from "../src/node/topology-spec.js";
import { type LdkServerBuild, ldkServerBuilds, withBuild } from "./builds.js";
import { rssMiB, summary } from "./stats.js";

const args = process.argv.slice(2).filter((a) => a !== "--");
const [runs = 5, ringSize = 16] = args.filter((a) => /^\d+$/.test(a)).map(Number);
const builds = await ldkServerBuilds(args);

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

async function measure(topology: Topology, build: LdkServerBuild) {
  let bitcoindMs = 0;
  const t0 = performance.now();
  const net = await withBuild(build, () =>
    Network.start({
      topology,
      onBitcoindReady: () => (bitcoindMs = performance.now() - t0),
    }),
  );
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
    build: build.label,
  };
  await net.stop();
  return result;
}

const threeRuns = new Map(builds.map((b) => [b.label, [] as Awaited<ReturnType<typeof measure>>[]]));
for (let i = 0; i < runs; i++) {
  for (const build of builds) {
    const result = await measure(three, build);
    threeRuns.get(build.label)?.push(result);
    process.stderr.write(
      `3 nodes, 2 channels (${build.label} build): run ${i + 1}/${runs} ${result.totalMs} ms\n`,
    );
  }
}
const ringRun = ringSize > 0 && builds[0] ? await measure(ring(ringSize), builds[0]) : undefined;
if (ringRun) process.stderr.write(`ring of ${ringSize}: ${ringRun.totalMs} ms\n`);
console.log(
  JSON.stringify({
    bench: "topology",
    threeNodesTwoChannels: [...threeRuns.values()].map((results) => ({
      build: results[0]?.build,
      runs,
      totalMs: summary(results.map((r) => r.totalMs)),
      last: results.at(-1),
    })),
    ring: ringRun && { nodes: ringSize, ...ringRun },
    cpus: (await import("node:os")).cpus().length,
  }),
);
