import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { runChild } from "../support/run-child.js";

const daemons = await detectDaemons();
const root = path.resolve(import.meta.dirname, "../..");
const { dependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

// Each example is a user's suite against the package (installed as a copy of this checkout, built).
describe.skipIf(!daemons.ok)(e2eTitle("examples run with npm test in their folder", daemons), () => {
  for (const [dir, passed] of [
    ["vitest", /Tests\s+2 passed \(2\)/],
    ["node-test", /(# |ℹ )pass 2\n(# |ℹ )fail 0/],
  ] as const) {
    it(`examples/${dir}: a payment test and a channel-close test pass`, { timeout: 300_000 }, async () => {
      const install = await runChild(
        "npm",
        ["ci", "--no-audit", "--no-fund"],
        path.join(root, "examples", dir),
      );
      expect(install.code, install.output).toBe(0);
      // Else the copy finds them in this repo's node_modules, as no user's project would.
      for (const dep of Object.keys(dependencies))
        expect(
          existsSync(path.join(root, "examples", dir, "node_modules", dep)),
          `${dep} missing from examples/${dir}/package-lock.json: delete it and run npm install there`,
        ).toBe(true);
      const test = await runChild("npm", ["test"], path.join(root, "examples", dir));
      expect(test.output).toMatch(passed);
      expect(test.code, test.output).toBe(0);
    });
  }
});
