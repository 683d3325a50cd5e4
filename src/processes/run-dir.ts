import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { reaper } from "./reaper.js";

/** Whether the user asked to keep data dirs (`--keep` or LDK_REGTEST_KEEP=1). */
export function keepFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LDK_REGTEST_KEEP === "1" || env.LDK_REGTEST_KEEP === "true";
}

const active = new Set<RunDir>();

/**
 * A failure report named `files`: every live run dir holding one of them is kept when disposed (unless
 * the run is discarded, e.g. interrupted). Returns those dirs.
 */
export function noteFailureIn(files: readonly string[]): string[] {
  const holding = [...active].filter((dir) =>
    files.some((file) => file.startsWith(`${dir.path}${path.sep}`)),
  );
  for (const dir of holding) dir.noteFailure();
  return holding.map((dir) => dir.path);
}

/** A private (0700) directory for one run; removed at dispose (or by the watchdog if we die) unless kept. */
export class RunDir {
  private failed = false;

  private constructor(
    readonly path: string,
    private kept: boolean,
  ) {}

  static async create({ keep = keepFromEnv(), parent = tmpdir() }: { keep?: boolean; parent?: string } = {}) {
    const dir = await mkdtemp(path.join(parent, "ldk-regtest-"));
    if (!keep) reaper.removeOnExit(dir);
    const runDir = new RunDir(dir, keep);
    active.add(runDir);
    return runDir;
  }

  /** A directory that outlives every run (a dev network's state): created 0700 if missing, always kept. */
  static async open(dir: string): Promise<RunDir> {
    const absolute = path.resolve(dir);
    await mkdir(absolute, { recursive: true, mode: 0o700 });
    const runDir = new RunDir(absolute, true);
    active.add(runDir);
    return runDir;
  }

  /** Whether the dir stays after the process exits (`keep` was asked for, or a failed run retained it). */
  get keep(): boolean {
    return this.kept;
  }

  /**
   * Keep this directory after all (e.g. a run failed and the user wants to look). Its owner (a network)
   * decides; users pass `keep`.
   * @internal
   */
  retain(): void {
    if (!this.kept) reaper.keepDir(this.path);
    this.kept = true;
  }

  /** A 0700 subdirectory, created if missing. */
  async subdir(name: string): Promise<string> {
    const dir = path.join(this.path, name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** Something in here was named by a failure report: keep it at dispose so those paths stay valid. */
  noteFailure(): void {
    this.failed = true;
  }

  /**
   * Removes the directory unless kept or a failure was noted; `discard` removes it after a failure too.
   * Its owner calls it when it stops.
   * @internal
   */
  async dispose({ discard = false }: { discard?: boolean } = {}): Promise<void> {
    active.delete(this);
    if (this.failed && !discard) this.retain();
    if (this.kept) return;
    await rm(this.path, { recursive: true, force: true });
    reaper.keepDir(this.path); // nothing left for the watchdog to do
  }
}
