/**
 * Paired whole-process comparison with LDK Server's own Rust harness: `ldk-regtest e2e --json` against
 * upstream's `test_cli_bolt11_send` (ldk-server's e2e-tests crate, debug build as upstream runs it),
 * alternating which goes first, on the same bitcoind. Prints JSON: both series, medians, the ratio.
 *
 *   npm run bench:rust-harness -- --harness <e2e test binary> [--pairs 5]
 *
 * The test binary is what `cargo test --no-run --test e2e` builds in ldk-server's e2e-tests folder
 * (BITCOIND_SKIP_DOWNLOAD=1 there: it then runs the bitcoind this bench hands it in BITCOIND_EXE).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { BITCOIND_EXECUTABLE } from "../src/bitcoind/bitcoind.js";
import { findExecutable } from "../src/processes/find-executable.js";
import { median } from "./stats.js";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const harness = option("--harness");
const pairs = Number(option("--pairs") ?? 5);
if (!harness || !Number.isInteger(pairs) || pairs < 1) {
  console.error("usage: npm run bench:rust-harness -- --harness <e2e test binary> [--pairs N]");
  process.exit(2);
}
const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const bitcoind = (await findExecutable(BITCOIND_EXECUTABLE)).path;

/** Wall time of one whole process, which must exit 0. */
function timed(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(Math.round(performance.now() - start))
        : reject(
            new Error(`${path.basename(command)} ${argv.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`),
          ),
    );
  });
}

const ours: number[] = [];
const theirs: number[] = [];
const runOurs = async () => ours.push(await timed(process.execPath, [cli, "e2e", "--json"]));
const runTheirs = async () =>
  theirs.push(
    await timed(harness, ["test_cli_bolt11_send", "--exact", "--test-threads=1"], {
      ...process.env,
      BITCOIND_EXE: bitcoind,
    }),
  );
for (let i = 0; i < pairs; i++) {
  // Alternate who goes first, so a warm page cache or a busy moment favours neither.
  if (i % 2 === 0) {
    await runOurs();
    await runTheirs();
  } else {
    await runTheirs();
    await runOurs();
  }
}
const [a, b] = [median(ours), median(theirs)];
console.log(
  JSON.stringify(
    {
      bench: "rust-harness",
      pairs,
      ldkRegtestE2eMs: ours,
      rustHarnessMs: theirs,
      medianMs: { ldkRegtest: a, rustHarness: b },
      ratio: Math.round((a / b) * 1000) / 1000,
    },
    null,
    2,
  ),
);
