#!/usr/bin/env node
import { Command } from "commander";
import { registerDevnetCommands } from "./devnet-commands.js";
import { doctorCommand } from "./doctor-command.js";
import { e2eCommand } from "./e2e-command.js";
import { installCommand } from "./install-command.js";
import { registerSimlnCommand } from "./simln-command.js";
import { registerUiCommand } from "./ui-command.js";

const program = new Command()
  .name("ldk-regtest")
  .description("Run real Lightning networks (bitcoind regtest + LDK Server) locally");

program
  .command("e2e")
  .description("open a channel Alice→Bob, pay a BOLT11 invoice, and check both sides (the seed scenario)")
  .option("--keep", "keep all data dirs and print their paths (also LDK_REGTEST_KEEP=1)")
  .option("--json", "print one JSON result object on stdout (progress goes to stderr)")
  .action(async (options: { keep?: boolean; json?: boolean }) => {
    process.exitCode = await e2eCommand(options);
  });

program
  .command("install")
  .description(
    "install bitcoind (a verified Bitcoin Core release), ldk-server (ldk-regtest's test build of the pinned rev, with cargo) and lnd (built with Go) into the cache",
  )
  .argument("[daemons...]", "bitcoind, ldk-server and/or lnd (default: bitcoind and ldk-server)")
  .option("--bitcoind-version <version>", "29.0, 30.2 or 31.0 (default 31.0)")
  .option(
    "--from-file <tarball>",
    "install bitcoind from a Bitcoin Core tarball, or lnd from its release tarball, instead of downloading or building",
  )
  .option("--sha256 <hex>", "expect this SHA-256 for the tarball instead of the pinned one")
  .option("--mirror <url>", "download Bitcoin Core from here (same layout; also LDK_REGTEST_BITCOIN_MIRROR)")
  .option("--ldk-server-git <url>", "build ldk-server from this git repository (default the upstream one)")
  .option(
    "--lsps2",
    "also build ldk-server's LSP build (for LSPS2 nodes) into the cache beside the default one",
  )
  .option(
    "--stock",
    "build ldk-server as upstream has it, without ldk-regtest's three test knobs (networks then wait for its 2 s and 30 s timers)",
  )
  .option("--force", "install again even if present")
  .option("--json", "print one JSON result object on stdout")
  .action(async (daemons: string[], options) => {
    process.exitCode = await installCommand(daemons, options);
  });

program
  .command("doctor")
  .description("show where bitcoind and ldk-server are found, their versions, and how to fix what is wrong")
  .option("--json", "print one JSON object on stdout")
  .action(async (options: { json?: boolean }) => {
    process.exitCode = await doctorCommand(options);
  });

registerDevnetCommands(program);
registerSimlnCommand(program);
registerUiCommand(program);

await program.parseAsync();
