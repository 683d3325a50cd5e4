import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** The built CLI (dist/) on the dev network in `dir`, as a user runs it with --json: its object (as parsed) and raw stdout. */
export async function devnetCli(dir: string, ...args: string[]) {
  const { stdout } = await exec(process.execPath, [
    path.resolve("dist/cli/main.js"),
    ...args,
    "--dir",
    dir,
    "--json",
  ]);
  return { json: JSON.parse(stdout), stdout };
}
