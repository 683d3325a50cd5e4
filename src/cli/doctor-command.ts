import { LdkRegtestError } from "../common/errors.js";
import { type DaemonCheck, doctor } from "../kinds/doctor.js";
import { kindExecutables } from "../kinds/registry.js";
import { runCommand } from "./command-runner.js";

/** Prints where each daemon comes from and what to run if one is missing or wrong; exit 0 when all needed are usable. */
export function doctorCommand(options: { json?: boolean }): Promise<number> {
  return runCommand({ json: options.json }, async (ctx) => {
    const report = await doctor();
    const note = (d: DaemonCheck) => (d.ok && d.note ? `\n    ${d.note}` : "");
    const line = (name: string, d: DaemonCheck) =>
      d.ok
        ? `✔ ${name}: ${d.path} (${d.source}) — ${d.version}${note(d)}`
        : `✖ ${name}: ${d.problem ?? "not usable"}${d.path ? ` (${d.path}, from ${d.source})` : ""}\n    fix: ${d.fix}`;
    const daemons = Object.entries(report.daemons);
    const forWhat = (name: string) => kindExecutables().find((e) => e.spec.name === name)?.optionalFor;
    const optional = ([name, d]: [string, DaemonCheck]) =>
      d.ok ? line(name, d) : `– ${name} (optional, ${forWhat(name)}): ${d.problem}\n    fix: ${d.fix}`;
    const lines = [
      ...daemons.map(([name, d]) => line(name, d)),
      ...Object.entries(report.optional).map(optional),
      `cache: ${report.cacheDir}`,
    ];
    const broken = daemons.filter(([, d]) => !d.ok).map(([name]) => name);
    if (broken.length === 0)
      return { json: { ...report }, human: [...lines, "Every daemon needed is usable."].join("\n") };
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
