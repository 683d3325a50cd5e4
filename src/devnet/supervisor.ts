import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { CallOptions } from "../common/call-options.js";
import { badOption, LdkRegtestError } from "../common/errors.js";
import { Network } from "../network/network.js";
import type { Topology } from "../node/topology-spec.js";
import { type ArgsOf, callControl, type ResultOf, serveControl } from "./control.js";
import {
  controlSocketPath,
  notRunning,
  readSupervisor,
  removeSupervisor,
  writeConnectionFiles,
  writeSupervisor,
} from "./devnet-files.js";
import { type DevnetOperations, devnetOperations } from "./operations.js";

/** Everything the supervisor serves on its control socket: the network's operations, and `stop`. */
export type SupervisorOperations = DevnetOperations & {
  stop(): Promise<{ stopping: true; pid: number }>;
  /** Starts the dashboard (once; later calls return the same URL) and returns its URL. */
  ui(): Promise<{ url: string }>;
};

/**
 * Serves a dashboard of the network in the supervisor's process (the CLI passes src/dashboard's; this
 * folder does not import it): its URL, holding its token, and how to stop it.
 */
export type UiLauncher = (
  network: Network,
  operations: DevnetOperations,
) => Promise<{ url: string; close(): Promise<void> }>;

/** The name of an operation of the supervisor. */
export type SupervisorOp = keyof SupervisorOperations & string;

export interface SupervisorOptions {
  dir: string;
  /** Needed the first time; a dir that holds a network resumes it. */
  topology?: Topology | string;
  /** Mine a block every this many seconds (0: never). */
  autoMineSeconds?: number;
  /** What the `ui` operation starts; without it, `ui` is refused. */
  ui?: UiLauncher;
  signal?: AbortSignal;
}

/**
 * Holds a dev network: starts (or resumes) it in `dir`, writes the connection files, and serves the CLI's
 * operations on a control socket until `stop()`, a `down`, or `signal`. Its daemons are registered with
 * the watchdog like any other, so if this process dies, they die too; the dir stays resumable.
 */
export class Supervisor {
  private readonly stopped: Promise<void>;
  private requestStop: () => void = () => {};
  private dashboard: ReturnType<UiLauncher> | undefined;

  private constructor(
    readonly dir: string,
    readonly network: Network,
    private readonly server: Server,
    private readonly socket: string,
    private readonly miner: NodeJS.Timeout | undefined,
  ) {
    this.stopped = new Promise((resolve) => {
      this.requestStop = resolve;
    });
  }

  static async start(options: SupervisorOptions): Promise<Supervisor> {
    const running = await readSupervisor(options.dir);
    if (running) throw alreadyUp(options.dir, running.pid);
    const network = await Network.start({
      dir: options.dir,
      topology: options.topology,
      signal: options.signal,
    });
    let supervisor: Supervisor | undefined;
    try {
      await writeConnectionFiles(options.dir, network);
      const socket = controlSocketPath(options.dir);
      const devnet = devnetOperations(network);
      const launch = options.ui;
      const operations: SupervisorOperations = {
        ...devnet,
        async stop() {
          setImmediate(() => supervisor?.requestStop());
          return { stopping: true, pid: process.pid };
        },
        async ui() {
          if (!launch || !supervisor)
            throw badOption("ui", "this supervisor was started without a dashboard");
          supervisor.dashboard ??= launch(network, devnet);
          supervisor.dashboard.catch(() => {
            if (supervisor) supervisor.dashboard = undefined; // the next `ui` tries again
          });
          return { url: (await supervisor.dashboard).url };
        },
      };
      const server = await serveControl(socket, operations);
      const seconds = options.autoMineSeconds ?? 0;
      let mining = false; // one block at a time: a slow sync never piles up calls
      const mineOne = async () => {
        if (mining) return;
        mining = true;
        await network.mine(1).catch(() => {});
        mining = false;
      };
      const miner = seconds > 0 ? setInterval(() => void mineOne(), seconds * 1000) : undefined;
      supervisor = new Supervisor(options.dir, network, server, socket, miner);
      await writeSupervisor(options.dir, { pid: process.pid, socket });
      // A signal that came while the control socket was being set up stops it at once.
      if (options.signal?.aborted) supervisor.requestStop();
      else options.signal?.addEventListener("abort", () => supervisor?.requestStop(), { once: true });
      return supervisor;
    } catch (error) {
      await network.stop();
      throw error;
    }
  }

  /** Resolves once a stop was asked for (by `down`, a signal, or `stop()`) and everything has stopped. */
  async untilStopped(): Promise<void> {
    await this.stopped;
    await this.shutdown();
  }

  stop(): Promise<void> {
    this.requestStop();
    return this.untilStopped();
  }

  private shuttingDown: Promise<void> | undefined;
  private shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      clearInterval(this.miner);
      this.server.close();
      await this.dashboard?.then((d) => d.close()).catch(() => {});
      await this.network.stop(); // the dir is the network's state: kept
      await rm(this.socket, { force: true });
      await removeSupervisor(this.dir);
    })();
    return this.shuttingDown;
  }
}

/** Asks the supervisor of `dir` for `op`; says how to start one when none runs. */
export async function askSupervisor<K extends SupervisorOp>(
  dir: string,
  op: K,
  args: ArgsOf<SupervisorOperations, K>,
  options: CallOptions = {},
): Promise<ResultOf<SupervisorOperations, K>> {
  const running = await readSupervisor(dir);
  if (!running) throw notRunning(dir);
  return callControl<SupervisorOperations, K>(running.socket, op, args, options);
}

/** A second `up` on a dir whose supervisor runs. */
export function alreadyUp(dir: string, pid: number): LdkRegtestError {
  return new LdkRegtestError(
    "STATE_CONFLICT",
    `a network is already up in ${dir} (supervisor pid ${pid}); use it, or stop it with \`ldk-regtest down --dir ${dir}\``,
    { data: { dir, pid } },
  );
}
