import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { runChild } from "../support/run-child.js";

const daemons = await detectDaemons();
const root = path.resolve(import.meta.dirname, "../..");
const { devDependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};

// A user's whole suite, in one file: it imports the package by name from node_modules.
const SUITE = `import { PaymentStatus } from "ldk-regtest";
import { networkTest } from "ldk-regtest/vitest";
import { expect } from "vitest";

const test = networkTest<"alice" | "bob">({
  topology: { nodes: { alice: {}, bob: {} }, channels: [{ from: "alice", to: "bob", sats: 500_000 }] },
});

test("Alice pays Bob with the package from its tarball", async ({ network }) => {
  const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
  const { invoice } = await bob.client.bolt11Receive({ amountMsat: 20_000_000n, expirySecs: 3600 });
  const { paymentId } = await alice.client.bolt11Send({ invoice });
  expect((await alice.waitForListedPayment(paymentId)).status).toBe(PaymentStatus.SUCCEEDED);
});
`;

// The entry points load under node itself (ldk-regtest/vitest loads only inside vitest: the suite does).
const IMPORTS = `for (const entry of ["ldk-regtest", "ldk-regtest/client", "ldk-regtest/node-test"])
  console.log(entry, Object.keys(await import(entry)).length > 0 ? "loads" : "is empty");`;

describe.skipIf(!daemons.ok)(e2eTitle("the packed tarball, installed into a new project", daemons), () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("installs, loads its entry points, runs doctor and e2e from its bin and a vitest suite against real daemons", {
    timeout: 300_000,
  }, async () => {
    const out = await mkdtemp(path.join(tmpdir(), "packed-tarball-"));
    const project = await mkdtemp(path.join(tmpdir(), "packed-project-"));
    dirs.push(out, project);
    // npm pack runs the prepare script: the tarball holds a fresh build.
    const pack = await runChild("npm", ["pack", "--silent", "--pack-destination", out], root);
    expect(pack.code, pack.output).toBe(0);
    const tarball = path.join(out, pack.output.trim().split("\n").at(-1) ?? "");

    await writeFile(
      path.join(project, "package.json"),
      JSON.stringify({ name: "packed-project", private: true, type: "module" }),
    );
    await writeFile(path.join(project, "pay.test.ts"), SUITE);
    const install = await runChild(
      "npm",
      ["install", "--no-audit", "--no-fund", tarball, `vitest@${devDependencies.vitest}`],
      project,
    );
    expect(install.code, install.output).toBe(0);

    const imports = await runChild("node", ["--input-type=module", "-e", IMPORTS], project);
    expect(imports.output.trim().split("\n")).toEqual([
      "ldk-regtest loads",
      "ldk-regtest/client loads",
      "ldk-regtest/node-test loads",
    ]);
    // The install guide's first commands, from the installed package's bin.
    const doctor = await runChild("npx", ["ldk-regtest", "doctor"], project);
    expect(doctor.code, doctor.output).toBe(0);
    const e2e = await runChild("npx", ["ldk-regtest", "e2e"], project);
    expect(e2e.output).toMatch(
      /E2E passed in \d+ ms: payment SUCCEEDED on alice \(OUTBOUND\) and bob \(INBOUND\)/,
    );
    expect(e2e.code, e2e.output).toBe(0);

    const test = await runChild("npx", ["vitest", "run"], project);
    expect(test.output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(test.code, test.output).toBe(0);
  });
});
