import { LdkRegtestError } from "../common/errors.js";
import { type DaemonCheck, doctor } from "../install/doctor.js";
import { STOCK_BUILD_NOTE } from "../ldk-server/test-knobs.js";
import { runCommand } from "./command-runner.js";

/** ldk-server's builds say whether they have the test knobs; a stock one says what that costs, once. */
function knobs(d: DaemonCheck): string {
  if (!("testKnobs" in d) || d.testKnobs === null) return "";
  return d.testKnobs ? "\n    test knobs: yes" : `\n    test knobs: no — ${STOCK_BUILD_NOTE}`;
}

/** Prints where each daemon comes from and what to run if one is missing or wrong; exit 0 when both are usable. */
export function doctorCommand(options: { json?: boolean }): Promise<number> {
  return runCommand({ json: options.json }, async (ctx) => {
    const report = await doctor();
    const line = (name: string, d: DaemonCheck) =>
      d.ok
        ? `✔ ${name}: ${d.path} (${d.source}) — ${d.version}${knobs(d)}`
        : `✖ ${name}: ${d.problem ?? "not usable"}${d.path ? ` (${d.path}, from ${d.source})` : ""}\n    fix: ${d.fix}`;
    const daemons = Object.entries(report.daemons) as [string, DaemonCheck][];
    const optional = (name: string, d: DaemonCheck, forWhat: string) =>
      d.ok ? line(name, d) : `– ${name} (optional, ${forWhat}): ${d.problem}\n    fix: ${d.fix}`;
    const lines = [
      ...daemons.map(([name, d]) => line(name, d)),
      optional("lnd", report.optional.lnd, "for mixed networks"),
      optional("ldk-server-lsps2", report.optional["ldk-server-lsps2"], "for LSP nodes"),
      `cache: ${report.cacheDir}`,
    ];
    const broken = daemons.filter(([, d]) => !d.ok).map(([name]) => name);
    if (broken.length === 0)
      return { json: { ...report }, human: [...lines, "Both daemons are usable."].join("\n") };
    // The failure is one ✖ line; what each daemon is and its fix go before it, on stderr.
    for (const l of lines) ctx.note(l);
    const failure = new LdkRegtestError(
      "MISSING_EXECUTABLE",
      `not ready: ${broken.join(" and ")} not usable; run the fix above`,
      { data: { daemons: broken } },
    );
    return { json: { ...report }, failure };
  });
}
