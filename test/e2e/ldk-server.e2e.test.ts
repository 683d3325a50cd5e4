import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect } from "vitest";
import { LdkServerClient, LdkServerError } from "../../src/index.js";
import { LdkServer } from "../../src/ldk-server/ldk-server.js";
import { freePorts } from "../../src/processes/free-port.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();

const test = networkTest<"carol" | "dave">({ nodes: ["carol", "dave"], scope: "file" });

describe.skipIf(!daemons.ok)(e2eTitle("one ldk-server on real daemons", daemons), () => {
  test("writes its files where the facts say, with private modes", async ({ network: net }) => {
    const { storageDir } = net.ldkServer("carol");
    expect((await readFile(path.join(storageDir, "regtest", "api_key"))).length).toBe(32);
    expect(await readFile(path.join(storageDir, "tls.crt"), "utf8")).toMatch(/BEGIN CERTIFICATE/);
    const info = await net.ldkServer("carol").client.getNodeInfo();
    expect(info.nodeId).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(info.listeningAddresses).toEqual([net.ldkServer("carol").p2pAddress]);
    const mode = async (file: string) => ((await stat(path.join(storageDir, file))).mode & 0o777).toString(8);
    expect(await mode(".")).toBe("700"); // ours: the whole run dir is private
    expect(await mode("config.toml")).toBe("600"); // holds the bitcoind RPC password
    expect(await mode("regtest/api_key")).toBe("400");
    expect(await mode("tls.key")).toBe("400");
    expect(await mode("keys_mnemonic")).toBe("600");
  });

  test("a wrong API key is UNAUTHENTICATED with a hint about the key or clock", async ({ network: net }) => {
    const [carol] = [net.ldkServer("carol")];
    const client = new LdkServerClient({
      address: carol.grpcAddress,
      apiKey: "00".repeat(32),
      certificate: await readFile(path.join(carol.storageDir, "tls.crt")),
    });
    const error = await client.getNodeInfo().catch((e) => e);
    await client.close();
    expect(error).toBeInstanceOf(LdkServerError);
    expect(error).toMatchObject({ codeName: "UNAUTHENTICATED", method: "GetNodeInfo" });
    expect(error.message).toMatch(/API key is not this node's .* clock/);
  });

  test("another node's certificate is refused, naming the certificate it expected", async ({
    network: net,
  }) => {
    const [carol] = [net.ldkServer("carol")];
    const certPath = path.join(net.ldkServer("dave").storageDir, "tls.crt");
    const client = new LdkServerClient({
      address: carol.grpcAddress,
      apiKey: (await readFile(path.join(carol.storageDir, "regtest", "api_key"))).toString("hex"),
      certificate: await readFile(certPath),
      certificateSource: certPath,
    });
    const error = await client.getNodeInfo().catch((e) => e);
    await client.close();
    expect(error.codeName).toBe("UNAVAILABLE");
    expect(error.message).toContain(`expected the certificate from ${certPath}`);
  });

  test.for([
    ["gRPC", 0, "erin"],
    ["P2P", 1, "frank"],
  ] as const)(
    "retries on fresh ports when its %s port is taken",
    { timeout: 60_000 },
    async ([, slot, name], { network: net }) => {
      const [taken = 0] = await freePorts(1);
      const squatter: Server = createServer();
      await new Promise<void>((resolve) => squatter.listen(taken, "127.0.0.1", resolve));
      let picks = 0;
      const node = await LdkServer.start({
        name,
        storageDir: await net.runDir.subdir(name),
        bitcoind: net.bitcoind,
        pickPorts: async (n) => {
          const ports = await freePorts(n); // [gRPC, P2P]
          if (++picks === 1) ports[slot] = taken;
          return ports;
        },
      });
      try {
        expect(picks).toBe(2);
        expect([node.grpcAddress, node.p2pAddress]).not.toContain(`127.0.0.1:${taken}`);
        expect((await node.client.getNodeInfo()).nodeId).toBe(node.nodeId);
      } finally {
        await node.stop();
        squatter.close();
      }
    },
  );

  test("restarts on the same storage dir with the same node id and the same ports", {
    timeout: 60_000,
  }, async ({ network: net }) => {
    const [carol] = [net.ldkServer("carol")];
    const id = carol.nodeId;
    const addresses = [carol.grpcAddress, carol.p2pAddress];
    await carol.restart();
    expect(carol.nodeId).toBe(id);
    expect((await carol.client.getNodeInfo()).nodeId).toBe(id);
    expect([carol.grpcAddress, carol.p2pAddress]).toEqual(addresses);
  });

  test("keeps the RPC password, the Basic auth header and API keys out of inspect and JSON", async ({
    network: net,
  }) => {
    const apiKey = async (node: LdkServer) =>
      (await readFile(path.join(node.storageDir, "regtest", "api_key"))).toString("hex");
    const secrets = [
      net.bitcoind.rpcPassword,
      Buffer.from(`${net.bitcoind.rpcUser}:${net.bitcoind.rpcPassword}`).toString("base64"),
      await apiKey(net.ldkServer("carol")),
      await apiKey(net.ldkServer("dave")),
    ];
    const shown = [
      inspect(net, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspect(net.bitcoind, { depth: Number.POSITIVE_INFINITY }),
      JSON.stringify(net.bitcoind),
      JSON.stringify(net.ldkServer("carol").client),
      inspect(net.ldkServer("carol"), { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ].join("\n");
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });
});
