import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv, promisify } from "node:util";
import { LdkServerClient } from "ldk-regtest/client";
import { expect, test } from "vitest";

const exec = promisify(execFile);

// The dev network's commands as you type them (`npx ldk-regtest …`), on ldk-regtest.toml beside this file.
test("up, an invoice paid over two hops, an app on alice's env file, down", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dev-network-"));
  const cli = async (...args: string[]) =>
    JSON.parse((await exec("npx", ["ldk-regtest", ...args, "--dir", dir, "--json"])).stdout);
  try {
    const up = await cli("up", "--detach", "--topology", path.join(import.meta.dirname, "ldk-regtest.toml"));
    expect(up.channels.map((c: { usable: boolean }) => c.usable)).toEqual([true, true]);

    const { invoice } = await cli("invoice", "carol", "50000sat", "--description", "coffee");
    expect(await cli("pay", "alice", invoice)).toMatchObject({ status: "SUCCEEDED" }); // through bob

    // An app of yours reads alice's connection from <dir>/alice.env (node --env-file=… app.js does too).
    const env = parseEnv(await readFile(path.join(dir, "alice.env"), "utf8")) as Record<string, string>;
    const alice = new LdkServerClient({
      address: env.LDK_SERVER_GRPC_ADDRESS as string,
      apiKey: (await readFile(env.LDK_SERVER_API_KEY_PATH as string)).toString("hex"),
      certificate: await readFile(env.LDK_SERVER_TLS_CERT as string),
    });
    try {
      expect((await alice.getBalances()).totalLightningBalanceSats).toBeLessThan(1_000_000n);
    } finally {
      await alice.close();
    }
  } finally {
    await cli("down", "--purge");
    await rm(dir, { recursive: true, force: true });
  }
});
