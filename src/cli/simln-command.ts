import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { devnetDir, readConnections } from "../devnet/devnet-files.js";
import { askSupervisor } from "../devnet/supervisor.js";
import { buildSimFile } from "../simln/sim-file.js";
import { runCommand } from "./command-runner.js";

type SimlnOptions = { dir?: string; json?: boolean; out?: string; activity: string[] };

/** `simln`: writes SimLN's sim file for the network up in --dir (it holds API keys: 0600, never printed). */
export function registerSimlnCommand(program: Command): void {
  program
    .command("simln")
    .description("write a SimLN sim file (sim-cli --sim-file) for the running network")
    .option("--dir <dir>", "the network's directory (default .ldk-regtest)")
    .option("--out <file>", "where to write it (default <dir>/sim.json)")
    .option(
      "--activity <flow>",
      "a payment flow <source>:<destination>:<amount>:<interval_secs>[:<count>], e.g. alice:bob:50sat:5 (repeatable; none: SimLN's random activity)",
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option("--json", "print one JSON object on stdout")
    .action(async (options: SimlnOptions) => {
      process.exitCode = await runCommand({ json: options.json }, async (ctx) => {
        const dir = devnetDir(options.dir);
        const { nodes } = await readConnections(dir);
        const sim = await buildSimFile(nodes, options.activity);
        const file = path.resolve(options.out ?? path.join(dir, "sim.json"));
        await writeFile(file, `${JSON.stringify(sim, null, 2)}\n`, { mode: 0o600 });
        const { nodes: status } = await askSupervisor(dir, "status", undefined, { signal: ctx.signal });
        const unannounced = Object.entries(status).flatMap(([name, n]) =>
          n.channels.filter((c) => c.outbound && !c.announced).map((c) => `${name} → ${c.peer}`),
        );
        if (unannounced.length > 0)
          ctx.note(
            `SimLN routes over announced channels only, and these are private: ${unannounced.join(", ")} (open channels without --private, or announce = true in the topology)`,
          );
        const flows = sim.activity.length === 0 ? "random activity" : `${sim.activity.length} activities`;
        return {
          json: { file, nodes: sim.nodes.length, activity: sim.activity.length },
          human: `wrote ${file} (${sim.nodes.length} nodes, ${flows}; it holds their API keys)\nrun: sim-cli --sim-file ${file}`,
        };
      });
    });
}
