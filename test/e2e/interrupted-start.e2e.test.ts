import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LdkRegtestError, Network } from "../../src/index.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { commandLine, pidsNamed } from "../support/processes.js";

const daemons = await detectDaemons();
const daemonPids = () => [...pidsNamed("bitcoind"), ...pidsNamed("ldk-server")];

const topology = {
  nodes: { alice: {}, bob: {}, carol: {} },
  channels: [
    { from: "alice", to: "bob", sats: 500_000 },
    { from: "bob", to: "carol", sats: 400_000 },
  ],
};

/** Aborts the start once `dir` shows that it reached a phase (or after `ms` without it). */
function abortWhen(dir: string, reached: (dir: string) => boolean, controller: AbortController) {
  const timer = setInterval(() => {
    if (reached(dir)) {
      clearInterval(timer);
      controller.abort("SIGINT");
    }
  }, 5);
  return () => clearInterval(timer);
}

// Each moment of a start that an interrupt can hit: bitcoind up, a seed written before the node
// starts (the EEXIST on keys_mnemonic of a second start), the nodes answering, channels being opened.
const moments: [string, (dir: string) => boolean][] = [
  ["bitcoind started", (d) => existsSync(path.join(d, "bitcoind", "regtest"))],
  ["seeds written", (d) => existsSync(path.join(d, "alice", "keys_mnemonic"))],
  ["nodes starting", (d) => existsSync(path.join(d, "carol", "tls.crt"))],
  ["channels opening", (d) => existsSync(path.join(d, "bob", "regtest", "ldk_server_data.sqlite"))],
];

describe.skipIf(!daemons.ok)(
  e2eTitle("an interrupted start of a network in a dir of its own", daemons),
  () => {
    const dirs: string[] = [];
    afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

    it.each(moments)(
      "aborted when %s: ABORTED naming the phase, no daemon left, and the next start builds it",
      { timeout: 120_000 },
      async (_moment, reached) => {
        const dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-interrupted-"));
        dirs.push(dir);
        const before = new Set(daemonPids());
        const controller = new AbortController();
        const stopWatching = abortWhen(dir, reached, controller);
        const error = await Network.start({ dir, topology, signal: controller.signal }).then(
          (net) => net.stop().then(() => undefined),
          (e: unknown) => e,
        );
        stopWatching();
        expect(error).toBeInstanceOf(LdkRegtestError);
        expect((error as LdkRegtestError).code).toBe("ABORTED");
        expect((error as Error).message).toMatch(/interrupted \(SIGINT\) while \w+/);
        // Only this network's daemons: their command lines name its dir (other tests may run beside).
        expect(daemonPids().filter((p) => !before.has(p) && commandLine(p).includes(dir))).toEqual([]);

        const net = await Network.start<"alice" | "bob" | "carol">({ dir, topology });
        try {
          const channels = await net.nodes.bob.listChannels();
          expect(channels.map((c) => c.isUsable)).toEqual([true, true]);
        } finally {
          await net.stop();
        }
      },
    );
  },
);
