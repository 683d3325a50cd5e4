import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusResult } from "../../src/cli/devnet-render.js";
import { renderStatus, renderUpReport } from "../../src/cli/devnet-render.js";
import { networkView } from "../../src/dashboard/network-view.js";
import { connectionOf, writeConnectionFiles } from "../../src/devnet/devnet-files.js";
import { kindNames, registerKind } from "../../src/kinds/registry.js";
import type { Network } from "../../src/network/network.js";
import { checkTopology } from "../../src/network/topology.js";
import type { NodeConnection, NodeKindDriver } from "../../src/node/kind-driver.js";
import type { NetworkNode } from "../../src/node/network-node.js";
import { buildSimFile } from "../../src/simln/sim-file.js";

const SRC = path.resolve(import.meta.dirname, "../../src");

/** The kinds' names as source strings, and where they may be written: each kind's folder, the registry. */
const KIND_NAMES = new Set(["ldk-server", "ldk-server-lsps2", "lnd"]);
const KIND_FOLDERS = ["ldk-server", "lnd", "client"]; // client/: ldk-server's own gRPC client

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(SRC, full)] : [];
  });
}

/** String literals (not comments) of a file that are exactly a kind's name, as `file:line "name"`. */
function kindLiterals(file: string, text = readFileSync(path.join(SRC, file), "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && KIND_NAMES.has(node.text)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${file}:${line} "${node.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("node kinds live in their folders", () => {
  it("no kind name is written as a string outside the kinds' folders", () => {
    const outside = sourceFiles().filter((f) => !KIND_FOLDERS.includes(f.split(path.sep)[0] as string));
    expect(outside.flatMap((f) => kindLiterals(f))).toEqual([]);
  });

  it("the check sees a kind compared in the generic layer (and not one in a comment)", () => {
    const text = '// a "lnd" node\nif (node.kind === "lnd") pay();\nconst k = `ldk-server`;';
    expect(kindLiterals("network/x.ts", text)).toEqual([
      'network/x.ts:2 "lnd"',
      'network/x.ts:3 "ldk-server"',
    ]);
  });
});

/** A node of a kind with no daemon: what the generic layer reads of a running node. */
function fakeNode(name: string, logPath: string): NetworkNode & { tokenPath: string } {
  return {
    kind: "fake",
    nodeName: name,
    nodeId: `02${"ab".repeat(32)}`,
    p2pAddress: "127.0.0.1:1",
    tokenPath: `/fake/${name}/token`,
    logPath,
    exitInfo: undefined,
  } as unknown as NetworkNode & { tokenPath: string };
}

type FakeConnection = NodeConnection & { tokenPath: string };

/** A whole kind in one object, as a new kind's folder would export it: nothing else knows it. */
const fakeKind: NodeKindDriver = {
  name: "fake",
  executables: [],
  executableFor: () => {
    throw new Error("the fake kind has no executable");
  },
  checkSpec(spec, fail) {
    if (spec.config?.forbidden !== undefined) fail("config.forbidden", "the fake kind refuses it");
  },
  start: () => Promise.reject(new Error("the fake kind runs no daemon")),
  logPath: (dir) => path.join(dir, "fake.log"),
  devnet: {
    connection: (node) => ({
      kind: node.kind,
      nodeId: node.nodeId,
      grpcAddress: "127.0.0.1:2",
      p2pAddress: node.p2pAddress,
      tlsCertPath: "/fake/cert",
      configPath: "/fake/config",
      logPath: node.logPath,
      tokenPath: (node as ReturnType<typeof fakeNode>).tokenPath,
    }),
    envLines: (c) => [`FAKE_NODE_ID=${c.nodeId}`, `FAKE_TOKEN=${(c as FakeConnection).tokenPath}`],
    upFields: ["tokenPath"],
    credentialField: "tokenPath",
  },
  simNode: async (c) => ({ fake_id: c.nodeId, token: (c as FakeConnection).tokenPath }),
  activity: async () => ({
    payments: [{ id: "p1", direction: "outbound", status: "succeeded", amountMsat: "1000", updated: 1 }],
    forwards: [],
  }),
  capabilities: {},
};

describe("a fourth kind is its driver and one registration", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ldk-regtest-fake-kind-"));
  const log = path.join(dir, "fake.log");
  writeFileSync(log, "fake started\n");
  const node = fakeNode("x", log);
  let unregister: () => void = () => {};
  beforeAll(() => {
    unregister = registerKind(fakeKind);
  });
  afterAll(() => {
    unregister();
    rmSync(dir, { recursive: true, force: true });
  });

  it("topology validation knows it, runs its spec checks, and keeps LSPS2 roles from it", () => {
    expect(kindNames()).toContain("fake");
    expect(checkTopology({ nodes: { x: { kind: "fake" } } }).nodes.x?.kind).toBe("fake");
    expect(() => checkTopology({ nodes: { x: { kind: "nope" } } })).toThrow(/known: .*fake/);
    expect(() => checkTopology({ nodes: { x: { kind: "fake", config: { forbidden: 1 } } } })).toThrow(
      /nodes\.x\.config\.forbidden: the fake kind refuses it/,
    );
    expect(() => checkTopology({ nodes: { x: { kind: "fake", lsps2_service: {} } } })).toThrow(
      /nodes\.x\.kind: an LSPS2 service needs a node of kind .*, not fake/,
    );
  });

  it("the devnet hands out its connection: connections.json, <node>.env, and `up`'s table", async () => {
    expect(connectionOf(node)).toMatchObject({ kind: "fake", tokenPath: "/fake/x/token" });
    const net = { nodes: { x: node }, node: () => node, bitcoind: { rpcAddress: "127.0.0.1:3" } };
    await writeConnectionFiles(dir, net as unknown as Network);
    const files = JSON.parse(readFileSync(path.join(dir, "connections.json"), "utf8"));
    expect(files.nodes.x).toMatchObject({ kind: "fake", tokenPath: "/fake/x/token" });
    expect(readFileSync(path.join(dir, "x.env"), "utf8")).toBe(
      `FAKE_NODE_ID=${node.nodeId}\nFAKE_TOKEN=/fake/x/token\n`,
    );
    const status = {
      height: 1,
      bitcoind: { alive: true, rpcAddress: "127.0.0.1:3" },
      nodes: { x: { ...connectionOf(node), alive: true, channels: [] } },
    } as unknown as StatusResult;
    const up = renderUpReport(dir, status);
    expect((up.json as { nodes: Record<string, unknown> }).nodes.x).toMatchObject({
      tokenPath: "/fake/x/token",
    });
    expect(up.human).toMatch(/^x +fake .*\/fake\/x\/token$/m);
    expect(renderStatus(status)).toMatch(/^x \(fake\) up/m);
  });

  it("SimLN gets its entry, and the dashboard its activity", async () => {
    const connection = connectionOf(node) as NodeConnection;
    expect((await buildSimFile({ x: connection })).nodes).toEqual([
      { fake_id: node.nodeId, token: "/fake/x/token" },
    ]);
    const status = async () => ({
      height: 1,
      bitcoind: { alive: true, rpcAddress: "127.0.0.1:3" },
      nodes: { x: { ...connection, alive: true, channels: [] } },
    });
    const view = await networkView({ nodes: { x: node } } as unknown as Network, { status });
    expect(view.nodes.x).toMatchObject({
      kind: "fake",
      payments: [{ id: "p1", status: "succeeded" }],
      log: ["fake started"],
    });
  });
});
