import { describeExit, type ExitInfo } from "../processes/daemon-process.js";
import { tailLines } from "../processes/log-tail.js";

/** What a failure report needs to know about one daemon. */
export interface Observable {
  readonly name: string;
  /** The daemon's own log file. */
  readonly logPath: string;
  /** Its captured stdout/stderr (panics, aborts, startup errors). */
  readonly consolePath: string;
  readonly exitInfo: ExitInfo | undefined;
}

/** Each daemon's state, log path and last log lines, for error messages. */
export async function describeDaemons(daemons: readonly Observable[], lines = 12): Promise<string> {
  const parts = await Promise.all(
    daemons.map(async (d) => {
      const state = d.exitInfo ? describeExit(d.exitInfo) : "running";
      const log = await tailLines(d.logPath, lines);
      const out = [`── ${d.name}: ${state}`, `   log: ${d.logPath}`, ...indent(log, "   | ")];
      if (d.exitInfo || log.length === 0) {
        // The console mirrors the log; what it adds is what never reached the log (panics, aborts).
        const extra = (await tailLines(d.consolePath, lines)).filter((l) => !log.includes(l));
        if (extra.length > 0) out.push(`   console: ${d.consolePath}`, ...indent(extra, "   | "));
      }
      return out.join("\n");
    }),
  );
  return parts.join("\n");
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
