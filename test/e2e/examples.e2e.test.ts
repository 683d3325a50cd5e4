import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LDK_SERVER_LSPS2_EXECUTABLE } from "../../src/ldk-server/executable.js";
import { type Detected, detectDaemons, e2eTitle } from "../support/daemons.js";
import { detectMixedDaemons } from "../support/lnd.js";
import { runChild } from "../support/run-child.js";

const daemons = await detectDaemons();
const mixed = await detectMixedDaemons();
const lsps2 = await detectDaemons([LDK_SERVER_LSPS2_EXECUTABLE]);
const root = path.resolve(import.meta.dirname, "../..");
const { dependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

/** `npm ci` in an example's folder: the package is installed as a copy of this checkout, built. */
async function install(dir: string): Promise<void> {
  const cwd = path.join(root, "examples", dir);
  const install = await runChild("npm", ["ci", "--no-audit", "--no-fund"], cwd);
  expect(install.code, install.output).toBe(0);
  expect(install.output, "allowScripts in the example's package.json").not.toMatch(/install-scripts/);
  // Else the copy finds them in this repo's node_modules, as no user's project would.
  for (const dep of Object.keys(dependencies))
    expect(
      existsSync(path.join(cwd, "node_modules", dep)),
      `${dep} missing from examples/${dir}/package-lock.json: delete it and run npm install there`,
    ).toBe(true);
}

// Each example is a user's suite against the package; each guide in docs/ starts from one of them.
describe.skipIf(!daemons.ok)(e2eTitle("examples run in their folder", daemons), () => {
  beforeAll(() => install("vitest"), 300_000);

  // The files of examples/vitest by what they need beyond bitcoind and ldk-server.
  const groups: [string[], number, Detected][] = [
    [["payment", "close", "hard-paths", "client", "dev-network"], 8, daemons],
    [["mixed"], 2, mixed],
    [["lsp-jit"], 1, lsps2],
  ];
  for (const [files, tests, needs] of groups) {
    it.skipIf(!needs.ok)(
      e2eTitle(`examples/vitest: ${files.join(", ")}`, needs),
      {
        timeout: 600_000,
      },
      async () => {
        const run = await runChild(
          "npx",
          ["vitest", "run", ...files.map((f) => `${f}.test.ts`)],
          path.join(root, "examples/vitest"),
        );
        expect(run.output).toMatch(new RegExp(`Tests\\s+${tests} passed \\(${tests}\\)`));
        expect(run.code, run.output).toBe(0);
      },
    );
  }

  it("examples/node-test: a payment test and a channel-close test pass", { timeout: 300_000 }, async () => {
    await install("node-test");
    const test = await runChild("npm", ["test"], path.join(root, "examples/node-test"));
    expect(test.output).toMatch(/(# |ℹ )pass 2\n(# |ℹ )fail 0/);
    expect(test.code, test.output).toBe(0);
  });
});
