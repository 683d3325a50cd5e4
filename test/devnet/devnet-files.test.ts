import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectionOf, writeConnectionFiles } from "../../src/devnet/devnet-files.js";
import type { Network } from "../../src/network/network.js";
import { selfSignedCert } from "../support/tls-fixture.js";

const macaroon = Buffer.from("0201036c6e6402f801030a10", "hex");

/** A network of one ldk-server and one lnd node, with the fields the files are written from. */
function network(dir: string) {
  const alice = {
    kind: "ldk-server" as const,
    nodeName: "alice",
    nodeId: "02aa",
    grpcAddress: "127.0.0.1:3001",
    p2pAddress: "127.0.0.1:9735",
    storageDir: path.join(dir, "alice"),
    configPath: path.join(dir, "alice", "config.toml"),
    logPath: path.join(dir, "alice", "ldk-server.log"),
  };
  const dave = {
    kind: "lnd" as const,
    nodeName: "dave",
    nodeId: "03dd",
    grpcAddress: "127.0.0.1:10009",
    restAddress: "127.0.0.1:8080",
    p2pAddress: "127.0.0.1:9736",
    certPath: path.join(dir, "tls.cert"),
    macaroonPath: path.join(dir, "admin.macaroon"),
    configPath: path.join(dir, "dave", "lnd.conf"),
    logPath: path.join(dir, "dave", "lnd.log"),
  };
  const nodes = { alice, dave };
  return {
    nodes,
    node: (name: keyof typeof nodes) => nodes[name],
    bitcoind: { rpcAddress: "127.0.0.1:18443" },
  } as unknown as Network;
}

describe("the dev network's connection files", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ldk-regtest-files-"));
    await writeFile(path.join(dir, "tls.cert"), selfSignedCert().cert);
    await writeFile(path.join(dir, "admin.macaroon"), macaroon);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("connections.json: each node by its kind, the lnd node with gRPC, REST, cert, macaroon and lndconnect", async () => {
    const net = network(dir);
    await writeConnectionFiles(dir, net);
    const file = path.join(dir, "connections.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { bitcoindRpc, nodes } = JSON.parse(await readFile(file, "utf8"));
    expect(bitcoindRpc).toBe("127.0.0.1:18443");
    expect(nodes.alice).toEqual({
      kind: "ldk-server",
      nodeId: "02aa",
      grpcAddress: "127.0.0.1:3001",
      p2pAddress: "127.0.0.1:9735",
      tlsCertPath: path.join(dir, "alice", "tls.crt"),
      apiKeyPath: path.join(dir, "alice", "regtest", "api_key"),
      configPath: path.join(dir, "alice", "config.toml"),
      logPath: path.join(dir, "alice", "ldk-server.log"),
    });
    expect(nodes.dave).toEqual({
      kind: "lnd",
      nodeId: "03dd",
      grpcAddress: "127.0.0.1:10009",
      restAddress: "127.0.0.1:8080",
      p2pAddress: "127.0.0.1:9736",
      tlsCertPath: path.join(dir, "tls.cert"),
      macaroonPath: path.join(dir, "admin.macaroon"),
      configPath: path.join(dir, "dave", "lnd.conf"),
      logPath: path.join(dir, "dave", "lnd.log"),
      lndconnect: expect.stringMatching(/^lndconnect:\/\/127\.0\.0\.1:10009\?cert=[\w-]+&macaroon=[\w-]+$/),
    });
    expect(new URL(nodes.dave.lndconnect).searchParams.get("macaroon")).toBe(macaroon.toString("base64url"));
  });

  it("<node>.env: LND_* lines for the lnd node (the URI among them), LDK_SERVER_* for the other, 0600", async () => {
    await writeConnectionFiles(dir, network(dir));
    const env = (name: string) => readFile(path.join(dir, `${name}.env`), "utf8");
    expect((await stat(path.join(dir, "dave.env"))).mode & 0o777).toBe(0o600);
    const dave = Object.fromEntries(
      (await env("dave"))
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(dave).toEqual({
      LND_NODE_ID: "03dd",
      LND_GRPC_ADDRESS: "127.0.0.1:10009",
      LND_REST_ADDRESS: "127.0.0.1:8080",
      LND_P2P_ADDRESS: "127.0.0.1:9736",
      LND_TLS_CERT: path.join(dir, "tls.cert"),
      LND_MACAROON_PATH: path.join(dir, "admin.macaroon"),
      LND_CONFIG: path.join(dir, "dave", "lnd.conf"),
      LND_CONNECT_URI: expect.stringMatching(/^lndconnect:\/\/127\.0\.0\.1:10009\?cert=/),
    });
    expect(await env("alice")).toMatch(
      /^LDK_SERVER_NODE_ID=02aa\nLDK_SERVER_GRPC_ADDRESS=127\.0\.0\.1:3001\n/,
    );
    expect(await env("alice")).not.toContain("LND_");
  });

  it("what status and up print (connectionOf) holds paths only: no macaroon, no lndconnect URI", () => {
    const net = network(dir);
    const printed = `${JSON.stringify(connectionOf(net.node("dave")))} ${inspect(connectionOf(net.node("dave")))}`;
    expect(printed).not.toContain("lndconnect");
    expect(printed).not.toContain(macaroon.toString("base64url"));
    expect(printed).not.toContain(macaroon.toString("hex"));
    expect(connectionOf(net.node("dave"))).toMatchObject({
      kind: "lnd",
      macaroonPath: path.join(dir, "admin.macaroon"),
    });
  });
});
