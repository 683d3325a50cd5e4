import { writeFile } from "node:fs/promises";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { DaemonProcess, type ExitInfo } from "../processes/daemon-process.js";
import { readSince, sizeOf } from "../processes/log-tail.js";
import { isBindFailure, PortInUseError, preferPorts, withFreePorts } from "../processes/port-retry.js";
import type { Observable } from "../waits/diagnostics.js";
import type { WaitStrategy } from "./wait-strategy.js";

/** Picks `count` ports to try (default: random free ones). */
export type PortPicker = (count: number) => Promise<number[]>;

/** What stays the same across every start of one daemon. */
export interface DaemonSetup {
  /** Its name in errors and reports: "bitcoind", "alice (ldk-server)". */
  name: string;
  executable: string;
  /** Its own log file (failure reports name it). */
  logPath: string;
  /** Its stdout and stderr, appended across starts: panics and aborts that never reach the log. */
  consolePath: string;
  /** Its ports by role, in the order `portNumbers` lists them and `pickPorts` fills them. */
  ports: readonly string[];
  pickPorts?: PortPicker | undefined;
  /**
   * A restart must listen where it did, or fail (bitcoind: every node's config names its RPC port). Other
   * daemons take new ports when their old ones are taken.
   */
  restartOnSamePorts?: boolean;
  /** Give up unless ready within this long. */
  readyTimeoutMs: number;
  /** Who it is in a PortInUseError's data: `{ node: "alice" }`, `{ daemon: "bitcoind" }`. */
  errorData: Record<string, unknown>;
  /** Other daemons whose death should end its waits too (e.g. bitcoind). */
  watch?: readonly Observable[] | undefined;
}

/** One start's command line: its config file (written 0600: it holds bitcoind's RPC password) and args. */
export interface Launch {
  config: { path: string; text: string };
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** How a start is run: its ports, deadline and abort signal. */
export interface StartOptions extends CallOptions {
  pickPorts?: PortPicker | undefined;
}

/**
 * The one lifecycle of every daemon (bitcoind and each node kind): ports with retry, the config file,
 * the spawn in its own process group under the watchdog, readiness as a WaitStrategy, bind-failure
 * detection, restart on the same ports, stop and kill, and the getters every daemon shares.
 *
 * A base class rather than a composed object: these getters are the public surface of every daemon
 * (what `Observable` and `NetworkNode` read), and composition would make each kind forward them again.
 * What differs between kinds is data (`DaemonSetup`, `readiness`) and one recipe (`launch`).
 */
export abstract class ManagedDaemon implements Observable {
  #process: DaemonProcess | undefined;
  #ports: number[] = [];
  #ready = false;
  /** How long the last start (or restart) took: spawn to ready. */
  startupMs = 0;

  protected constructor(protected readonly setup: DaemonSetup) {}

  /** When the daemon is ready (it runs with the start's deadline and signal). */
  protected abstract readonly readiness: WaitStrategy;

  /** Writes nothing: returns the config file and the command line for these ports. */
  protected abstract launch(ports: Readonly<Record<string, number>>): Launch | Promise<Launch>;

  /** Drops what this object holds of the running daemon (connections, clients): at stop, kill, failed start. */
  protected async disconnect(): Promise<void> {}

  /** Awaited by `restart()` once the daemon is ready again, within what is left of its deadline. */
  protected async afterRestart(_options: CallOptions): Promise<void> {}

  get name(): string {
    return this.setup.name;
  }

  get logPath(): string {
    return this.setup.logPath;
  }

  get consolePath(): string {
    return this.setup.consolePath;
  }

  get exitInfo(): ExitInfo | undefined {
    return this.#process?.exitInfo;
  }

  /** The daemon's process id; `undefined` before it started. */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  /** Every port it listens on, in its roles' order (what a resumed network tries first). */
  get portNumbers(): readonly number[] {
    return [...this.#ports];
  }

  /** Whether it has been ready once (flags that only mean something at the first start). */
  protected get startedBefore(): boolean {
    return this.#ready;
  }

  /** This daemon and the daemons it depends on, for wait diagnostics. */
  get watched(): readonly Observable[] {
    return [this, ...(this.setup.watch ?? [])];
  }

  /** The port of one role (see `DaemonSetup.ports`). */
  protected port(role: string): number {
    return this.#ports[this.setup.ports.indexOf(role)] ?? 0;
  }

  /**
   * Spawns it on fresh ports (new picks while one turns out taken) and waits until ready, within
   * `timeoutMs` if given and shorter than `readyTimeoutMs`. A failed start leaves nothing running.
   */
  protected async startDaemon({ pickPorts, signal, timeoutMs }: StartOptions = {}): Promise<void> {
    const started = performance.now();
    const ready = this.setup.readyTimeoutMs;
    await withFreePorts(this.setup.ports.length, (ports) => this.attempt(ports, ready, timeoutMs, signal), {
      pickPorts: pickPorts ?? this.setup.pickPorts,
      ...(this.setup.restartOnSamePorts && this.#ready ? { attempts: 1 } : {}),
    });
    this.startupMs = Math.round(performance.now() - started);
    this.#ready = true;
  }

  private async attempt(
    ports: number[],
    readyTimeoutMs: number,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    signal?.throwIfAborted();
    this.#ports = ports;
    const byRole = Object.fromEntries(this.setup.ports.map((role, i) => [role, ports[i] ?? 0]));
    const { config, args, env = process.env } = await this.launch(byRole);
    await writeFile(config.path, config.text, { mode: 0o600 });
    const marks = await Promise.all([sizeOf(this.consolePath), sizeOf(this.logPath)]);
    const child = DaemonProcess.spawn({
      name: this.name,
      command: this.setup.executable,
      args,
      env,
      consolePath: this.consolePath,
    });
    this.#process = child;
    try {
      await this.readiness.waitUntilReady({
        timeoutMs: Math.min(readyTimeoutMs, timeoutMs ?? readyTimeoutMs),
        signal,
        watch: this.watched,
      });
      signal?.throwIfAborted();
    } catch (error) {
      // Nothing may outlive a failed start: not the daemon, not a connection to it.
      await this.disconnect();
      await child.stop(defaultTimeout("failedStartGrace"));
      const output = await Promise.all([
        readSince(this.consolePath, marks[0]),
        readSince(this.logPath, marks[1]),
      ]);
      if (isBindFailure(output.join("\n"))) {
        throw new PortInUseError(`${this.name} could not bind port ${ports.join(", ")}`, {
          data: { ...this.setup.errorData, ports },
        });
      }
      throw error;
    }
  }

  /** Graceful stop (SIGTERM, SIGKILL after `graceMs`); its data stays for `restart()`. */
  async stop(graceMs = defaultTimeout("stopGrace")): Promise<void> {
    await this.disconnect();
    await this.#process?.stop(graceMs);
  }

  /** SIGKILL, to simulate a crash. */
  async kill(): Promise<void> {
    await this.disconnect();
    await this.#process?.kill();
  }

  /**
   * Stops it gracefully and starts it again on the same data, on the same ports when they are still
   * free (see `restartOnSamePorts`). `timeoutMs` bounds the start and what `afterRestart` waits for.
   */
  async restart({ timeoutMs, signal }: CallOptions = {}): Promise<void> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const left = () => (deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));
    await this.disconnect();
    await this.#process?.stop(defaultTimeout("stopGrace"));
    const same = [...this.#ports];
    const pickPorts = this.setup.restartOnSamePorts
      ? async () => same
      : preferPorts(same, this.setup.pickPorts);
    await this.startDaemon({ pickPorts, signal, timeoutMs: left() });
    await this.afterRestart({ timeoutMs: left(), signal });
  }

  /** `await using daemon = await X.start(…)`: stopped when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
