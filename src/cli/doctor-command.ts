import { type DaemonCheck, doctor } from "../install/doctor.js";

/** Prints where each daemon comes from and what to run if one is missing or wrong; exit 0 when both are usable. */
export async function doctorCommand(options: { json?: boolean }): Promise<number> {
  const report = await doctor();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  }
  const line = (name: string, d: DaemonCheck) =>
    d.ok
      ? `✔ ${name}: ${d.path} (${d.source}) — ${d.version}`
      : `✖ ${name}: ${d.problem ?? "not usable"}${d.path ? ` (${d.path}, from ${d.source})` : ""}\n    fix: ${d.fix}`;
  const lines = [
    line("bitcoind", report.daemons.bitcoind),
    line("ldk-server", report.daemons["ldk-server"]),
    `cache: ${report.cacheDir}`,
    report.ok ? "Both daemons are usable." : "Not ready: run the fix above.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return report.ok ? 0 : 1;
}
