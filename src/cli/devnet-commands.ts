import { spawn } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { devnetDir, readSupervisor } from "../devnet/devnet-files.js";
import { askSupervisor, Supervisor } from "../devnet/supervisor.js";
import { readNetworkState } from "../network/network-state.js";
import { loadTopology } from "../network/topology.js";
import { tailLines } from "../processes/log-tail.js";
import { FatalWaitError, waitFor } from "../waits/wait-for.js";

type Common = { dir?: string; json?: boolean };

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
    .option("--auto-mine <seconds>", "mine a block every this many seconds", Number)
    .option("--supervise", "(internal) run as the detached supervisor")
    .action(async (options) => {
      process.exitCode = await run(options, () => up(options));
    });

  withCommon(program.command("status"))
    .description("daemons alive, block height, each node's balances and channels")
    .action(async (options: Common) => {
      process.exitCode = await run(options, async () =>
        print(options, await ask(options, "status"), statusText),
      );
    });

  withCommon(program.command("mine"))
    .description("mine N blocks (default 1) and wait until every node has them")
    .argument("[blocks]", "how many", "1")
    .action(async (blocks: string, options: Common) => {
      process.exitCode = await run(options, async () =>
        print(options, await ask(options, "mine", { blocks: Number(blocks) })),
      );
    });

  withCommon(program.command("fund"))
    .description("send SATS on-chain from bitcoind to NODE and confirm")
    .argument("<node>")
    .argument("<sats>")
    .action(async (node: string, sats: string, options: Common) => {
      process.exitCode = await run(options, async () =>
        print(options, await ask(options, "fund", { node, sats: Number(sats) })),
      );
    });

  withCommon(program.command("open"))
    .description("open a channel FROM → TO of SATS and wait until both sides can use it")
    .argument("<from>")
    .argument("<to>")
    .argument("<sats>")
    .option("--push <sats>", "push this much to TO", Number)
    .option("--private", "do not announce the channel")
    .action(
      async (
        from: string,
        to: string,
        sats: string,
        options: Common & { push?: number; private?: boolean },
      ) => {
        process.exitCode = await run(options, async () =>
          print(
            options,
            await ask(options, "open", {
              from,
              to,
              sats: Number(sats),
              push: options.push,
              private: options.private,
            }),
          ),
        );
      },
    );

  withCommon(program.command("invoice"))
    .description("a BOLT11 invoice from NODE for AMOUNT (50sat or 50000msat)")
    .argument("<node>")
    .argument("<amount>")
    .option("--description <text>", "the invoice's description")
    .action(async (node: string, amount: string, options: Common & { description?: string }) => {
      process.exitCode = await run(options, async () =>
        print(
          options,
          await ask(options, "invoice", { node, amount, description: options.description }),
          (r) => String((r as { invoice: string }).invoice),
        ),
      );
    });

  withCommon(program.command("pay"))
    .description("NODE pays a BOLT11 invoice or BOLT12 offer and waits for the outcome")
    .argument("<node>")
    .argument("<invoice-or-offer>")
    .action(async (node: string, target: string, options: Common) => {
      process.exitCode = await run(options, async () => {
        const result = (await ask(options, "pay", { node, target })) as { status: string };
        print(options, result);
        return result.status === "SUCCEEDED" ? 0 : 1;
      });
    });

  withCommon(program.command("close"))
    .description("cooperatively close the channel FROM → TO and confirm it")
    .argument("<from>")
    .argument("<to>")
    .action(async (from: string, to: string, options: Common) => {
      process.exitCode = await run(options, async () =>
        print(options, await ask(options, "close", { from, to })),
      );
    });

  withCommon(program.command("logs"))
    .description("the last lines of NODE's log (bitcoind for the chain)")
    .argument("<node>")
    .option("--follow", "keep printing new lines")
    .option("--lines <n>", "how many lines", Number, 50)
    .action(async (node: string, options: Common & { follow?: boolean; lines: number }) => {
      process.exitCode = await run(options, () => logs(node, options));
    });

  withCommon(program.command("down"))
    .description("stop the network (its state stays for the next up); --purge also deletes the dir")
    .option("--purge", "delete the network's directory too")
    .action(async (options: Common & { purge?: boolean }) => {
      process.exitCode = await run(options, () => down(options));
    });
}

/** Runs a command; an error is one line on stderr (and `{ok:false,error}` with --json), exit 1. */
async function run(options: Common, body: () => Promise<unknown>): Promise<number> {
  try {
    const code = await body();
    return typeof code === "number" ? code : 0;
  } catch (error) {
    const message = (error as Error).message;
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    process.stderr.write(`✖ ${message}\n`);
    return 1;
  }
}

const dirOf = (options: Common) => devnetDir(options.dir);
const ask = (options: Common, op: string, args?: Record<string, unknown>) =>
  askSupervisor(dirOf(options), op, args);

function print(
  options: Common,
  result: unknown,
  text: (r: unknown) => string = (r) => JSON.stringify(r, null, 2),
): void {
  process.stdout.write(
    `${options.json ? JSON.stringify({ ok: true, ...(result as object) }) : text(result)}\n`,
  );
}

type UpOptions = Common & { topology?: string; detach?: boolean; autoMine?: number; supervise?: boolean };

async function up(options: UpOptions): Promise<number> {
  const dir = dirOf(options);
  const running = await readSupervisor(dir);
  if (running)
    throw new Error(
      `a network is already up in ${dir} (supervisor pid ${running.pid}); \`ldk-regtest down --dir ${dir}\` stops it`,
    );
  const resuming = (await readNetworkState(dir)) !== undefined;
  const topology = options.topology ?? (resuming ? undefined : defaultTopology());
  if (topology) await loadTopology(topology); // a bad file is refused before anything starts
  if (options.detach && !options.supervise) return detach(dir, topology, options);

  if (options.supervise) process.stderr.write(`supervisor ${process.pid}: starting the network in ${dir}\n`);
  const interrupted = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => interrupted.abort(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const supervisor = await Supervisor.start({
      dir,
      topology,
      autoMineSeconds: options.autoMine,
      signal: interrupted.signal,
    });
    if (!options.supervise) {
      await report(dir, options);
      process.stderr.write("Up. Ctrl-C stops it (the state stays for the next `up`).\n");
    } else process.stderr.write(`supervisor ${process.pid}: the network in ${dir} is up\n`);
    await supervisor.untilStopped();
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function defaultTopology(): string {
  if (existsSync("ldk-regtest.toml")) return path.resolve("ldk-regtest.toml");
  throw new Error("no topology: write an ldk-regtest.toml here (see the README) or pass --topology <file>");
}

/** Starts the supervisor in the background and returns once the network is up (or says why it is not). */
async function detach(dir: string, topology: string | undefined, options: UpOptions): Promise<number> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const logPath = path.join(dir, "supervisor.log");
  const log = openSync(logPath, "a", 0o600);
  const main = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.js");
  const args = [main, "up", "--supervise", "--dir", dir];
  if (topology) args.push("--topology", topology);
  if (options.autoMine) args.push("--auto-mine", String(options.autoMine));
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log] });
  child.unref();
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  const logTail = async () => (await tailLines(logPath, 15)).join("\n   ");
  try {
    await waitFor(
      `the supervisor (pid ${child.pid}) to bring the network up`,
      async () => {
        if (exited !== undefined) throw new FatalWaitError(`the supervisor exited with code ${exited}`);
        return (await readSupervisor(dir))?.pid === child.pid;
      },
      { timeoutMs: 300_000, maxIntervalMs: 200 },
    );
  } catch (error) {
    try {
      if (child.pid && exited === undefined) process.kill(child.pid, "SIGTERM"); // nothing may outlive a failed up
    } catch {
      // already gone
    }
    // Its log says why (the failed step, the last observation, each daemon's log path and tail).
    throw new Error(`${(error as Error).message.split("\n")[0]}; ${logPath}:\n   ${await logTail()}`);
  }
  await report(dir, options);
  return 0;
}

/** The table (or `up --json` object) of what is up: how to reach each node, and the channels. */
async function report(dir: string, options: Common): Promise<void> {
  const status = (await askSupervisor(dir, "status")) as StatusResult;
  const nodes = Object.fromEntries(
    Object.entries(status.nodes).map(([name, n]) => [
      name,
      {
        nodeId: n.nodeId,
        grpcAddress: n.grpcAddress,
        p2pAddress: n.p2pAddress,
        tlsCertPath: n.tlsCertPath,
        apiKeyPath: n.apiKeyPath,
      },
    ]),
  );
  const channels = Object.entries(status.nodes).flatMap(([name, n]) =>
    n.channels
      .filter((c) => c.outbound)
      .map((c) => ({ from: name, to: c.peer, sats: Number(c.sats), usable: c.usable })),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, dir, nodes, channels })}\n`);
    return;
  }
  const rows = [["name", "node id", "gRPC", "P2P", "TLS cert", "API key"]];
  for (const [name, n] of Object.entries(nodes))
    rows.push([name, n.nodeId, n.grpcAddress, n.p2pAddress, n.tlsCertPath, n.apiKeyPath]);
  process.stdout.write(`${table(rows)}\n\nchannels:\n`);
  for (const c of channels)
    process.stdout.write(`  ${c.from} → ${c.to}  ${c.sats} sat  ${c.usable ? "usable" : "not usable"}\n`);
  process.stdout.write(
    `\nconnection files: ${path.join(dir, "connections.json")}, ${path.join(dir, "<node>.env")}\n`,
  );
}

type StatusResult = {
  height: number;
  nodes: Record<
    string,
    {
      nodeId: string;
      grpcAddress: string;
      p2pAddress: string;
      tlsCertPath: string;
      apiKeyPath: string;
      alive: boolean;
      onchainSats: string;
      lightningSats: string;
      channels: {
        peer: string;
        sats: string;
        usable: boolean;
        outbound: boolean;
        outboundMsat: string;
        inboundMsat: string;
      }[];
    }
  >;
};

function statusText(result: unknown): string {
  const status = result as StatusResult;
  const lines = [`block height ${status.height}`];
  for (const [name, n] of Object.entries(status.nodes)) {
    lines.push(
      `${name} ${n.alive ? "up" : "DOWN"}  on-chain ${n.onchainSats} sat, lightning ${n.lightningSats} sat`,
    );
    for (const c of n.channels)
      lines.push(
        `  ↔ ${c.peer}  ${c.sats} sat  out ${BigInt(c.outboundMsat) / 1000n} / in ${BigInt(c.inboundMsat) / 1000n} sat  ${c.usable ? "usable" : "not usable"}`,
      );
  }
  return lines.join("\n");
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function logs(node: string, options: Common & { follow?: boolean; lines: number }): Promise<number> {
  const dir = dirOf(options);
  const file =
    node === "bitcoind"
      ? path.join(dir, "bitcoind", "regtest", "debug.log")
      : path.join(dir, node, "ldk-server.log");
  if (!existsSync(file)) throw new Error(`no log for "${node}" in ${dir} (looked for ${file})`);
  for (const line of await tailLines(file, options.lines)) process.stdout.write(`${line}\n`);
  if (!options.follow) return 0;
  let size = (await readFile(file)).length;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const content = await readFile(file);
    if (content.length > size) process.stdout.write(content.subarray(size));
    size = content.length;
  }
}

async function down(options: Common & { purge?: boolean }): Promise<number> {
  const dir = dirOf(options);
  const running = await readSupervisor(dir);
  if (running) {
    await askSupervisor(dir, "stop");
    await waitFor(`the supervisor (pid ${running.pid}) to stop the network`, () => !isAlive(running.pid), {
      timeoutMs: 60_000,
      maxIntervalMs: 100,
    });
  }
  if (options.purge) await rm(dir, { recursive: true, force: true });
  const what = running ? `stopped the network in ${dir}` : `no network was up in ${dir}`;
  const message = `${what}${options.purge ? "; deleted it" : running ? "; its state stays for the next up" : ""}`;
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ ok: true, dir, stopped: Boolean(running), purged: Boolean(options.purge) })}\n`,
    );
  else process.stdout.write(`${message}\n`);
  return 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
