/**
 * A mixed network: alice (LDK) → dave (LND) → carol (LDK), two channels, until both are usable on both
 * sides. N uncached starts, each with lnd's own start-to-ready time (spawn to SERVER_ACTIVE and getinfo)
 * measured in the same run; then the template build and N starts from the template. Prints one JSON
 * object, with the goals: uncached ≤ lnd's start-to-ready + 1.5 s, cached ≤ 3 s (medians).
 * Usage: npm run bench:mixed -- [runs, default 5]
 */
import { rm } from "node:fs/promises";
import { BITCOIND_EXECUTABLE } from "../src/bitcoind/bitcoind.js";
import { findLdkServer } from "../src/ldk-server/ldk-server.js";
import { findLnd } from "../src/lnd/executable.js";
import { Network } from "../src/network/network.js";
import { templateDir } from "../src/network/network-template.js";
import { checkTopology } from "../src/network/topology.js";
import type { Topology } from "../src/node/topology-spec.js";
import { findExecutable } from "../src/processes/find-executable.js";
import { median, summary } from "./stats.js";

const runs = Number(process.argv.slice(2).find((a) => a !== "--") ?? 5);
/** What a harness may add to lnd's own start, and the most a cached start may take. */
const GOALS = { uncachedOverLndMs: 1_500, cachedMs: 3_000 };

const topology: Topology = {
  nodes: {
    alice: { onchain_sats: 2_000_000 },
    dave: { kind: "lnd", onchain_sats: 1_000_000 },
    carol: {},
  },
  channels: [
    { from: "alice", to: "dave", sats: 1_000_000 },
    { from: "dave", to: "carol", sats: 500_000 },
  ],
};

async function timeStart(cache: boolean) {
  let bitcoindMs = 0;
  const t0 = performance.now();
  const net = await Network.start({
    topology,
    cache,
    onBitcoindReady: () => (bitcoindMs = performance.now() - t0),
  });
  const totalMs = Math.round(performance.now() - t0);
  const channels = await Promise.all(net.nodeList.map((n) => n.listChannels()));
  if (!channels.every((list) => list.length > 0 && list.every((c) => c.isUsable)))
    throw new Error("a channel is not usable");
  const run = {
    totalMs,
    bitcoindMs: Math.round(bitcoindMs),
    lndStartMs: net.lnd("dave").startupMs,
    ldkStartMs: Math.max(net.ldkServer("alice").startupMs, net.ldkServer("carol").startupMs),
  };
  await net.stop();
  return run;
}

const [bitcoind, ldkServer, lnd] = await Promise.all([
  findExecutable(BITCOIND_EXECUTABLE),
  findLdkServer(),
  findLnd(),
]);
// Start cold: the template is built by the first cached start below.
const versions = { bitcoind: bitcoind.version, ldkServer: ldkServer.version, lnd: lnd.version };
await rm(templateDir(checkTopology(topology), versions), { recursive: true, force: true });

const uncached: Awaited<ReturnType<typeof timeStart>>[] = [];
for (let i = 0; i < runs; i++) {
  uncached.push(await timeStart(false));
  const r = uncached.at(-1);
  process.stderr.write(
    `uncached ${i + 1}/${runs}: ${r?.totalMs} ms (lnd start to ready ${r?.lndStartMs} ms)\n`,
  );
}
const templateBuild = await timeStart(true);
const cached: Awaited<ReturnType<typeof timeStart>>[] = [];
for (let i = 0; i < runs; i++) {
  cached.push(await timeStart(true));
  process.stderr.write(`cached ${i + 1}/${runs}: ${cached.at(-1)?.totalMs} ms\n`);
}
const overLnd = uncached.map((r) => r.totalMs - r.lndStartMs);
const cachedMs = cached.map((r) => r.totalMs);
console.log(
  JSON.stringify({
    bench: "mixed-network",
    topology: "alice (ldk-server) → dave (lnd) → carol (ldk-server)",
    runs,
    uncachedMs: summary(uncached.map((r) => r.totalMs)),
    lndStartToReadyMs: summary(uncached.map((r) => r.lndStartMs)),
    uncachedOverLndMs: summary(overLnd),
    uncachedPhasesMs: {
      bitcoind: summary(uncached.map((r) => r.bitcoindMs)),
      ldkStart: summary(uncached.map((r) => r.ldkStartMs)),
    },
    templateBuildMs: templateBuild.totalMs,
    cachedMs: summary(cachedMs),
    cachedLndStartMs: summary(cached.map((r) => r.lndStartMs)),
    goals: {
      ...GOALS,
      uncachedMet: median(overLnd) <= GOALS.uncachedOverLndMs,
      cachedMet: median(cachedMs) <= GOALS.cachedMs,
    },
    cpus: (await import("node:os")).cpus().length,
  }),
);
