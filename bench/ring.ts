/**
 * How the cost grows: rings of N nodes (one 500,000 sat channel from each to the next), from spawn until
 * every channel is usable on both sides, per size: wall time, bitcoind's and each node's RSS, CPU seconds
 * of every daemon and of this process, and the marginal cost per node between sizes, with the test
 * knobs in effect (LDK_REGTEST_KNOB_* to try other values).
 * Usage: npm run bench:ring -- [sizes, default 16,32,64]
 */
import { readFileSync } from "node:fs";
import { findLdkServer } from "../src/ldk-server/ldk-server.js";
import { testKnobs } from "../src/ldk-server/test-knobs.js";
import { Network } from "../src/network/network.js";
import type { Topology } from "../src/node/topology-spec.js";
import { median, rssMiB } from "./stats.js";

const args = process.argv.slice(2);
const sizes = (args.find((a) => /^\d+(,\d+)*$/.test(a)) ?? "16,32,64").split(",").map(Number);

function ring(size: number): Topology {
  const names = Array.from({ length: size }, (_, i) => `node-${i}`);
  return {
    nodes: Object.fromEntries(names.map((n) => [n, {}])),
    channels: names.map((from, i) => ({ from, to: names[(i + 1) % size] as string, sats: 500_000 })),
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const results: { nodes: number; usableMs: number }[] = [];
for (const size of sizes) {
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  let bitcoindMs = 0;
  const net = await Network.start({
    topology: ring(size),
    onBitcoindReady: () => (bitcoindMs = performance.now() - t0),
  });
  const usableMs = Math.round(performance.now() - t0);
  const nodes = Object.values(net.nodes);
  const nodeRss = nodes.map((n) => rssMiB(n.pid) ?? 0);
  const cpu = process.cpuUsage(cpuBefore);
  const result = {
    nodes: size,
    usableMs,
    bitcoindMs: Math.round(bitcoindMs),
    nodeStartMsMedian: median(nodes.map((n) => n.startupMs)),
    bitcoindRssMiB: rssMiB(net.bitcoind.pid),
    nodeRssMiB: {
      median: median(nodeRss),
      max: Math.max(...nodeRss),
      total: nodeRss.reduce((a, b) => a + b, 0),
    },
    cpuSeconds: {
      nodes: Math.round(nodes.reduce((sum, n) => sum + cpuSeconds(n.pid), 0) * 10) / 10,
      bitcoind: cpuSeconds(net.bitcoind.pid),
      harness: Math.round((cpu.user + cpu.system) / 1e5) / 10,
    },
  };
  await net.stop();
  results.push(result);
  process.stderr.write(`ring of ${size}: every channel usable in ${usableMs} ms\n`);
}
const marginal = results.slice(1).map((r, i) => {
  const prev = results[i] as { nodes: number; usableMs: number };
  return {
    from: prev.nodes,
    to: r.nodes,
    msPerNode: Math.round((r.usableMs - prev.usableMs) / (r.nodes - prev.nodes)),
  };
});
console.log(
  JSON.stringify({
    bench: "ring",
    ldkServer: (await findLdkServer()).version,
    knobs: testKnobs(),
    rings: results,
    marginal,
    cpus: (await import("node:os")).cpus().length,
  }),
);
