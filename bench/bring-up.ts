/**
 * Network bring-up: time to start bitcoind plus N ldk-server nodes (ready = GetNodeInfo answers and the
 * event subscription is live), and each daemon's RSS right after. Prints one JSON object.
 * Usage: npm run bench:bring-up -- [sizes, default 1,2,4,8]
 */
import { Network } from "../src/network/network.js";
import { rssMiB } from "./stats.js";

const sizes = (process.argv[2] ?? "1,2,4,8").split(",").map(Number);
const results = [];
for (const size of sizes) {
  const names = Array.from({ length: size }, (_, i) => `node-${i}`);
  let bitcoindMs = 0;
  const t0 = performance.now();
  const net = await Network.start({
    nodes: names,
    onBitcoindReady: () => (bitcoindMs = performance.now() - t0),
  });
  const totalMs = performance.now() - t0;
  const nodes = Object.values(net.nodes);
  results.push({
    nodes: size,
    totalMs: Math.round(totalMs),
    bitcoindMs: Math.round(bitcoindMs),
    nodesMs: Math.round(totalMs - bitcoindMs),
    bitcoindRssMiB: rssMiB(net.bitcoind.pid),
    nodeRssMiB: nodes.map((n) => rssMiB(n.pid)),
  });
  const t1 = performance.now();
  await net.stop();
  (results.at(-1) as Record<string, unknown>).stopMs = Math.round(performance.now() - t1);
  process.stderr.write(`${size} nodes: ${Math.round(totalMs)} ms\n`);
}
console.log(JSON.stringify({ bench: "bring-up", results }));
