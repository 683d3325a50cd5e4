import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LdkRegtestError, Network } from "../../src/index.js";
import { e2eTitle } from "../support/daemons.js";
import { detectMixedDaemons } from "../support/lnd.js";
import { commandLine, pidsNamed } from "../support/processes.js";

const daemons = await detectMixedDaemons();

/** LDK → LND → LDK, as the report had it: lnd is paid only once it runs, and accepts at 1 confirmation. */
const topology = {
  nodes: { alice: {}, dave: { kind: "lnd" as const }, carol: {} },
  channels: [
    { from: "alice", to: "dave", sats: 500_000 },
    { from: "dave", to: "carol", sats: 400_000 },
  ],
};

/**
 * Every phase of a start in `dir`, in the order a start goes through them; `when` holds once the phase
 * is under way (its daemons spawned, not yet ready), for the phases where that differs from its start.
 * Each start is interrupted in its phase, so the next one must get past what that one left; the last
 * ones interrupt the resume of the network saved by the one before.
 */
const phases: [string, ((dir: string) => boolean)?][] = [
  ["starting bitcoind", (d) => existsSync(path.join(d, "bitcoind", "regtest"))],
  ["funding the nodes before they start"],
  ["starting the nodes", (d) => existsSync(path.join(d, "dave", "tls.cert"))],
  ["funding the nodes"],
  ["opening the topology's channels"],
  ["confirming the channels"],
  ["announcing the channels"],
  ["saving the network's state"],
  ["reconnecting the resumed nodes"],
];

/** This network's daemons still running: their command lines name its dir (other tests may run beside). */
function daemonsIn(dir: string): number[] {
  return ["bitcoind", "ldk-server", "lnd"]
    .flatMap((name) => pidsNamed(name))
    .filter((pid) => commandLine(pid).includes(dir));
}

/** Aborts once the start enters `phase` and `when` holds: at once if it does (a phase may be short). */
function interruptIn(dir: string, phase: string, when: (dir: string) => boolean = () => true) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const abortWhen = () => {
    if (!when(dir)) return false;
    clearInterval(timer);
    controller.abort("SIGINT");
    return true;
  };
  const onPhase = (entered: string) => {
    if (entered === phase && !abortWhen()) timer = setInterval(abortWhen, 2);
  };
  return { signal: controller.signal, onPhase, done: () => clearInterval(timer) };
}

describe.skipIf(!daemons.ok)(
  e2eTitle("a start in a dir of its own, interrupted in each phase in turn", daemons),
  () => {
    let dir = "";
    afterAll(() => dir && rm(dir, { recursive: true, force: true }));

    it.each(phases)(
      "interrupted while %s: ABORTED naming the phase, nothing left running, the dir kept for the next start",
      // Longer than a start's own waits (60 s): a start that hangs fails with its wait's report.
      { timeout: 120_000 },
      async (phase, when) => {
        dir ||= await mkdtemp(path.join(tmpdir(), "ldk-regtest-interrupted-"));
        const interrupt = interruptIn(dir, phase, when);
        const error = await Network.start({ dir, topology, ...interrupt }).then(
          (net) => net.stop().then(() => undefined),
          (e: unknown) => e,
        );
        interrupt.done();
        expect(error).toBeInstanceOf(LdkRegtestError);
        expect((error as LdkRegtestError).code).toBe("ABORTED");
        expect((error as Error).message).toContain(`interrupted (SIGINT) while ${phase};`);
        expect(daemonsIn(dir)).toEqual([]);
      },
    );

    it("the next start resumes it: the topology's channels usable on every node", {
      timeout: 60_000,
    }, async () => {
      const net = await Network.start<"alice" | "dave" | "carol">({ dir, topology });
      try {
        const lists = await Promise.all(net.nodeList.map((n) => n.listChannels()));
        expect(lists.map((channels) => channels.map((c) => c.isUsable))).toEqual([
          [true],
          [true, true],
          [true],
        ]);
      } finally {
        await net.stop();
      }
      expect(daemonsIn(dir)).toEqual([]);
    });
  },
);
