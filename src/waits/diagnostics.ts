import { describeExit, type ExitInfo } from "../processes/daemon-process.js";
import { tailLines } from "../processes/log-tail.js";

/** What a failure report needs to know about one daemon. */
export interface Observable {
  /** The daemon's name in reports, e.g. `alice (ldk-server)`. */
  readonly name: string;
  /** The daemon's own log file. */
  readonly logPath: string;
  /** Its captured stdout/stderr (panics, aborts, startup errors). */
  readonly consolePath: string;
  /** How it exited (code or signal), once it has; `undefined` while it runs. */
  readonly exitInfo: ExitInfo | undefined;
}

/** One daemon as a failure report shows it: state, exit, log path and the last lines of its log. */
export interface DaemonReport {
  name: string;
  /** "running", or how it ended ("exited with code 134", "killed by SIGKILL", "could not start: …"). */
  state: string;
  exitCode: number | null;
  signal: string | null;
  logPath: string;
  /** The last lines of its log. */
  tail: string[];
  /** Its console (stdout/stderr), when it adds what never reached the log (panics, aborts). */
  consolePath?: string;
  consoleTail?: string[];
}

/** Each daemon's state, log path and last log lines, as data (WaitError.daemons, --json). */
export async function collectDaemons(daemons: readonly Observable[], lines = 12): Promise<DaemonReport[]> {
  return Promise.all(
    daemons.map(async (d) => {
      const tail = await tailLines(d.logPath, lines);
      const report: DaemonReport = {
        name: d.name,
        state: d.exitInfo ? describeExit(d.exitInfo) : "running",
        exitCode: d.exitInfo?.code ?? null,
        signal: d.exitInfo?.signal ?? null,
        logPath: d.logPath,
        tail,
      };
      if (d.exitInfo || tail.length === 0) {
        // The console mirrors the log; what it adds is what never reached the log (panics, aborts).
        const extra = (await tailLines(d.consolePath, lines)).filter((l) => !tail.includes(l));
        if (extra.length > 0) Object.assign(report, { consolePath: d.consolePath, consoleTail: extra });
      }
      return report;
    }),
  );
}

/** The reports as text for error messages. */
export function formatDaemons(reports: readonly DaemonReport[]): string {
  return reports
    .map((r) => {
      const out = [`── ${r.name}: ${r.state}`, `   log: ${r.logPath}`, ...indent(r.tail, "   | ")];
      if (r.consoleTail) out.push(`   console: ${r.consolePath}`, ...indent(r.consoleTail, "   | "));
      return out.join("\n");
    })
    .join("\n");
}

/** Each daemon's state, log path and last log lines, for error messages. */
export async function describeDaemons(daemons: readonly Observable[], lines = 12): Promise<string> {
  return formatDaemons(await collectDaemons(daemons, lines));
}

function indent(lines: string[], prefix: string): string[] {
  return lines.length === 0 ? [`${prefix}(empty)`] : lines.map((l) => prefix + l);
}

/** JSON that survives bigint and stays short enough to read in an error. */
export function formatObservation(value: unknown, maxLength = 800): string {
  if (value === undefined) return "(nothing observed yet)";
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    text = String(value);
  }
  text ??= String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/** A JSON-safe copy (bigints as strings); what cannot be serialized becomes its string form. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "null");
  } catch {
    return String(value);
  }
}
