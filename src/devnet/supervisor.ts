import { rm } from "node:fs/promises";
import type { Server } from "node:http";
import { Network } from "../network/network.js";
import type { Topology } from "../network/topology.js";
import { callControl, serveControl } from "./control.js";
import {
  controlSocketPath,
  readSupervisor,
  removeSupervisor,
  writeConnectionFiles,
  writeSupervisor,
} from "./devnet-files.js";
import { devnetOperations } from "./operations.js";

export interface SupervisorOptions {
  dir: string;
  /** Needed the first time; a dir that holds a network resumes it. */
  topology?: Topology | string;
  /** Mine a block every this many seconds (0: never). */
  autoMineSeconds?: number;
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
    if (running) {
      throw new Error(
        `a network is already up in ${options.dir} (supervisor pid ${running.pid}); use it, or stop it with \`ldk-regtest down --dir ${options.dir}\``,
      );
    }
    const network = await Network.start({
      dir: options.dir,
      topology: options.topology,
      signal: options.signal,
    });
    let supervisor: Supervisor | undefined;
    try {
      await writeConnectionFiles(options.dir, network);
      const operations = devnetOperations(network);
      const socket = controlSocketPath(options.dir);
      const server = await serveControl(socket, async ({ op, args = {} }) => {
        if (op === "stop") {
          setImmediate(() => supervisor?.requestStop());
          return { stopping: true, pid: process.pid };
        }
        const operation = (operations as Record<string, (a: unknown) => Promise<unknown>>)[op];
        if (!operation) throw new Error(`unknown operation ${op}`);
        return operation(args);
      });
      const seconds = options.autoMineSeconds ?? 0;
      const miner =
        seconds > 0
          ? setInterval(() => void network.bitcoind.mine(1).catch(() => {}), seconds * 1000)
          : undefined;
      supervisor = new Supervisor(options.dir, network, server, socket, miner);
      await writeSupervisor(options.dir, { pid: process.pid, socket });
      options.signal?.addEventListener("abort", () => supervisor?.requestStop(), { once: true });
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
      await this.network.stop(); // the dir is the network's state: kept
      await rm(this.socket, { force: true });
      await removeSupervisor(this.dir);
    })();
    return this.shuttingDown;
  }
}

/** Asks the supervisor of `dir` for an operation; says how to start one when none runs. */
export async function askSupervisor(
  dir: string,
  op: string,
  args?: Record<string, unknown>,
): Promise<unknown> {
  const running = await readSupervisor(dir);
  if (!running) throw new Error(`no network is up in ${dir}: start one with \`ldk-regtest up --dir ${dir}\``);
  return callControl(running.socket, { op, args });
}
