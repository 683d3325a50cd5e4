#!/usr/bin/env node
import { Command } from "commander";
import { e2eCommand } from "./e2e-command.js";

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

await program.parseAsync();
