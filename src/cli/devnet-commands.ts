import { existsSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { defaultTimeout } from "../common/durations.js";
import { badOption, LdkRegtestError, unknownNode } from "../common/errors.js";
import { processOwner } from "../common/process-owner.js";
import { startDashboard } from "../dashboard/dashboard-server.js";
import {
  checkArgsOf,
  DUST_LIMIT_SATS,
  MAX_BLOCKS_PER_MINE,
  MIN_CHANNEL_SATS,
  parseAutoMineSeconds,
  parseLogLines,
} from "../devnet/args.js";
import type { ArgsOf } from "../devnet/control.js";
import { devnetDir, readSupervisor, writeSupervisorFailure } from "../devnet/devnet-files.js";
import {
  alreadyUp,
  askSupervisor,
  Supervisor,
  type SupervisorOp,
  type SupervisorOperations,
} from "../devnet/supervisor.js";
import { kindOf } from "../kinds/registry.js";
import { readNetworkState } from "../network/network-state.js";
import { loadTopology } from "../network/topology.js";
import { tailLines } from "../processes/log-tail.js";
import { waitFor } from "../waits/wait-for.js";
import { type CommandContext, type CommandOutput, type RunOptions, runCommand } from "./command-runner.js";
import { launchSupervisor } from "./devnet-detach.js";
import { type Result, renderDown, renderLine, renderStatus, renderUpReport } from "./devnet-render.js";
import { dashboardUrl } from "./ui-command.js";

type Common = { dir?: string; json?: boolean };
type UpOptions = Common & {
  topology?: string;
  detach?: boolean;
  autoMine?: string;
  supervise?: boolean;
  ui?: boolean;
  open?: boolean;
};
type LogsOptions = Common & { follow?: boolean; lines: string };

/** Runs a command body with the shared runner and sets the exit code. */
async function run(
  options: Common,
  body: (ctx: CommandContext) => Promise<CommandOutput | undefined>,
  runOptions: Omit<RunOptions, "json"> = {},
): Promise<void> {
  process.exitCode = await runCommand({ ...runOptions, json: options.json }, body);
}

/**
 * Asks the supervisor for `op` (Ctrl-C abandons it there too) and prints its result's human line. Its
 * arguments go through the operation's own check first: a typo is refused before anything is asked.
 */
function ask<K extends SupervisorOp>(
  options: Common,
  op: K,
  args: ArgsOf<SupervisorOperations, K>,
  render: (result: Result<K>) => string,
  check: (result: Result<K>) => LdkRegtestError | undefined = () => undefined,
): Promise<void> {
  return run(
    options,
    async (ctx) => {
      checkArgsOf(op, args);
      const result = await askSupervisor(devnetDir(options.dir), op, args, { signal: ctx.signal });
      return { json: result as Record<string, unknown>, human: render(result), failure: check(result) };
    },
    { interrupted: "the supervisor abandons the operation; the network stays up" },
  );
}

/** `up`, `status`, `mine`, `fund`, `open`, `invoice`, `pay`, `close`, `logs`, `down`: a dev network that stays up. */
export function registerDevnetCommands(program: Command): void {
  const withCommon = (command: Command) =>
    command
      .option("--dir <dir>", "the network's directory (default .ldk-regtest)")
      .option("--json", "print one JSON object on stdout");

  withCommon(program.command("up"))
    .description(
      "bring a local network up from ldk-regtest.toml (or resume the one in --dir) and keep it running",
    )
    .option(
      "--topology <file>",
      "topology file (default ldk-regtest.toml, when the dir holds no network yet)",
    )
    .option("--detach", "return once everything is usable; a background supervisor holds the network")
    .option("--auto-mine <seconds>", "mine a block every this many seconds (1 to 3600)")
    .option("--ui", "serve the dashboard too and print its URL (see `ldk-regtest ui`)")
    .option("--open", "with --ui: open the dashboard in the default browser")
    .option("--supervise", "(internal) run as the detached supervisor")
    .action((options: UpOptions) =>
      run(options, (ctx) => up(ctx, options), {
        stopping: "stopping every daemon…",
        interrupted: "stopped every daemon",
      }),
    );

  withCommon(program.command("status"))
    .description("daemons alive, block height, each node's balances and channels")
    .action((options: Common) => ask(options, "status", undefined, renderStatus));

  withCommon(program.command("mine"))
    .description(
      `mine N blocks (default 1, at most ${MAX_BLOCKS_PER_MINE} per call) and wait until every node has them`,
    )
    .argument("[blocks]", `how many (1 to ${MAX_BLOCKS_PER_MINE})`, "1")
    .action((blocks: string, options: Common) => ask(options, "mine", { blocks }, renderLine.mine));

  withCommon(program.command("fund"))
    .description(`send SATS (at least ${DUST_LIMIT_SATS}) on-chain from bitcoind to NODE and confirm`)
    .argument("<node>")
    .argument("<sats>")
    .action((node: string, sats: string, options: Common) =>
      ask(options, "fund", { node, sats }, renderLine.fund),
    );

  withCommon(program.command("open"))
    .description(
      `open a channel FROM → TO of SATS (at least ${MIN_CHANNEL_SATS}) and wait until both sides can use it`,
    )
    .argument("<from>")
    .argument("<to>")
    .argument("<sats>")
    .option("--push <sats>", "push this much to TO")
    .option("--private", "do not announce the channel")
    .action(
      (from: string, to: string, sats: string, options: Common & { push?: string; private?: boolean }) =>
        ask(
          options,
          "open",
          { from, to, sats, push: options.push, private: options.private === true },
          renderLine.open,
        ),
    );

  withCommon(program.command("invoice"))
    .description("a BOLT11 invoice from NODE for AMOUNT (50sat or 50000msat)")
    .argument("<node>")
    .argument("<amount>")
    .option("--description <text>", "the invoice's description")
    .option("--jit", "through NODE's LSP (LSPS2): the LSP opens a channel to NODE when it is paid")
    .action((node: string, amount: string, options: Common & { description?: string; jit?: boolean }) =>
      ask(
        options,
        "invoice",
        { node, amount, description: options.description, jit: options.jit === true },
        renderLine.invoice,
      ),
    );

  withCommon(program.command("pay"))
    .description("NODE pays a BOLT11 invoice or BOLT12 offer and waits for the outcome")
    .argument("<node>")
    .argument("<invoice-or-offer>")
    .action((node: string, target: string, options: Common) =>
      ask(options, "pay", { node, target }, renderLine.pay, paymentFailure),
    );

  withCommon(program.command("close"))
    .description("cooperatively close the channel FROM → TO and confirm it")
    .argument("<from>")
    .argument("<to>")
    .action((from: string, to: string, options: Common) =>
      ask(options, "close", { from, to }, renderLine.close),
    );

  withCommon(program.command("logs"))
    .description("the last lines of NODE's log (bitcoind for the chain)")
    .argument("<node>")
    .option("--follow", "keep printing new lines (until Ctrl-C)")
    .option("--lines <n>", "how many lines", "50")
    .action((node: string, options: LogsOptions) => run(options, (ctx) => logs(ctx, node, options)));

  withCommon(program.command("down"))
    .description("stop the network (its state stays for the next up); --purge also deletes the dir")
    .option("--purge", "delete the network's directory too")
    .action((options: Common & { purge?: boolean }) => run(options, (ctx) => down(ctx, options)));
}

/** A payment that ended FAILED fails the command (exit 1), with the payment in its data. */
function paymentFailure(result: Result<"pay">): LdkRegtestError | undefined {
  if (result.status === "SUCCEEDED") return undefined;
  return new LdkRegtestError(
    "PAYMENT_FAILED",
    `${result.node}'s payment ${result.paymentId} ${result.status}: its log says why (\`ldk-regtest logs ${result.node}\`)`,
    { data: { ...result } },
  );
}

async function up(ctx: CommandContext, options: UpOptions): Promise<CommandOutput | undefined> {
  const dir = devnetDir(options.dir);
  const autoMineSeconds = options.autoMine === undefined ? undefined : parseAutoMineSeconds(options.autoMine);
  const running = await readSupervisor(dir);
  if (running) throw alreadyUp(dir, running.pid);
  const resuming = (await readNetworkState(dir)) !== undefined;
  const topology = options.topology ?? (resuming ? undefined : defaultTopology());
  if (topology) await loadTopology(topology); // a bad file is refused before anything starts
  const status = () => askSupervisor(dir, "status", undefined, { signal: ctx.signal });
  if (options.detach && !options.supervise) {
    await launchSupervisor({ dir, topology, autoMineSeconds, signal: ctx.signal });
    return withDashboard(ctx, options, renderUpReport(dir, await status()));
  }

  const who = `supervisor ${process.pid}`;
  if (options.supervise) ctx.note(`${who}: starting the network in ${dir}`);
  let supervisor: Supervisor;
  try {
    supervisor = await Supervisor.start({
      dir,
      topology,
      autoMineSeconds,
      ui: startDashboard,
      signal: ctx.signal,
    });
  } catch (error) {
    if (options.supervise) await writeSupervisorFailure(dir, error); // for the `up --detach` waiting
    throw error;
  }
  try {
    if (options.supervise) ctx.note(`${who}: the network in ${dir} is up`);
    else {
      ctx.emit(await withDashboard(ctx, options, renderUpReport(dir, await status())));
      ctx.note("Up. Ctrl-C stops it (the state stays for the next `up`).");
    }
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  ctx.endsOnSignal();
  await supervisor.untilStopped();
  ctx.note(`stopped the network in ${dir}; its state stays for the next \`up\``);
  return undefined;
}

/** `up --ui`: the report with the dashboard's URL. */
async function withDashboard(
  ctx: CommandContext,
  options: UpOptions,
  report: CommandOutput,
): Promise<CommandOutput> {
  if (!options.ui) return report;
  const url = await dashboardUrl(ctx, devnetDir(options.dir), options.open === true);
  return { json: { ...report.json, ui: url }, human: `${report.human ?? ""}\ndashboard: ${url}` };
}

function defaultTopology(): string {
  if (existsSync("ldk-regtest.toml")) return path.resolve("ldk-regtest.toml");
  throw badOption(
    "topology",
    "no topology: write an ldk-regtest.toml here (see the README) or pass --topology <file>",
  );
}

async function logs(
  ctx: CommandContext,
  node: string,
  options: LogsOptions,
): Promise<CommandOutput | undefined> {
  const lines = parseLogLines(options.lines);
  if (options.follow && ctx.json)
    throw badOption("follow", "--follow prints lines as they come: use it without --json");
  const dir = devnetDir(options.dir);
  const topology = (await readNetworkState(dir))?.topology;
  const file =
    node === "bitcoind"
      ? path.join(dir, "bitcoind", "regtest", "debug.log")
      : kindOf(topology?.nodes[node]).logPath(path.join(dir, node));
  if (!existsSync(file)) {
    const nodes = Object.keys(topology?.nodes ?? {});
    if (node !== "bitcoind" && nodes.length > 0 && !nodes.includes(node))
      throw unknownNode(node, nodes, { where: dir });
    throw new LdkRegtestError("NOT_RUNNING", `no log for "${node}" in ${dir} (looked for ${file})`, {
      data: { node, file },
    });
  }
  const tail = await tailLines(file, lines);
  const output = { json: { node, file, lines: tail }, human: tail.join("\n") };
  if (!options.follow) return output;
  ctx.emit(output);
  ctx.endsOnSignal();
  await follow(file, ctx.signal);
  return undefined;
}

/** Copies what is appended to `file` to stdout until `signal` aborts. */
async function follow(file: string, signal: AbortSignal): Promise<void> {
  const handle = await open(file, "r");
  try {
    let offset = (await handle.stat()).size;
    while (!signal.aborted) {
      await sleep(defaultTimeout("pollFile"), undefined, { signal }).catch(() => {});
      const { size } = await handle.stat();
      if (size < offset) offset = 0; // truncated: start over
      if (size === offset) continue;
      const chunk = Buffer.alloc(size - offset);
      await handle.read(chunk, 0, chunk.length, offset);
      process.stdout.write(chunk);
      offset = size;
    }
  } finally {
    await handle.close();
  }
}

async function down(ctx: CommandContext, options: Common & { purge?: boolean }): Promise<CommandOutput> {
  const dir = devnetDir(options.dir);
  const running = await readSupervisor(dir);
  if (running) {
    await askSupervisor(dir, "stop", undefined, { signal: ctx.signal });
    await waitFor(
      `the supervisor (pid ${running.pid}) to stop the network`,
      () => processOwner(running.pid) !== "ours",
      {
        timeoutMs: defaultTimeout("supervisorDown"),
        maxIntervalMs: defaultTimeout("pollFile"),
        signal: ctx.signal,
      },
    );
  }
  if (options.purge) await rm(dir, { recursive: true, force: true });
  return renderDown(dir, running !== undefined, options.purge === true);
}
