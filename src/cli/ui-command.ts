import { spawn } from "node:child_process";
import type { Command } from "commander";
import { devnetDir } from "../devnet/devnet-files.js";
import { askSupervisor } from "../devnet/supervisor.js";
import { type CommandContext, runCommand } from "./command-runner.js";

type UiOptions = { dir?: string; json?: boolean; open?: boolean };

/** `ui`: the dashboard of the network up in --dir, served by its supervisor; prints its URL. */
export function registerUiCommand(program: Command): void {
  program
    .command("ui")
    .description("serve the dashboard of the running network on 127.0.0.1 and print its URL (holds a token)")
    .option("--dir <dir>", "the network's directory (default .ldk-regtest)")
    .option("--open", "open the URL in the default browser")
    .option("--json", "print one JSON object on stdout")
    .action(async (options: UiOptions) => {
      process.exitCode = await runCommand({ json: options.json }, async (ctx) => {
        const url = await dashboardUrl(ctx, devnetDir(options.dir), options.open === true);
        return { json: { url }, human: `dashboard: ${url}` };
      });
    });
}

/** Asks the supervisor of `dir` for its dashboard (started on first ask) and opens it when asked. */
export async function dashboardUrl(ctx: CommandContext, dir: string, open: boolean): Promise<string> {
  const { url } = await askSupervisor(dir, "ui", undefined, { signal: ctx.signal });
  ctx.note("the dashboard runs as long as the network; anyone with this URL can drive it");
  if (open) openBrowser(ctx, url);
  return url;
}

/** The platform's opener, detached: the browser outlives this command. */
function openBrowser(ctx: CommandContext, url: string): void {
  const [command, ...args] =
    process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", "", url]
        : ["xdg-open", url];
  const child = spawn(command as string, args, { detached: true, stdio: "ignore" });
  child.once("error", (error) =>
    ctx.note(`could not open a browser (${error.message}): open the URL yourself`),
  );
  child.unref();
}
