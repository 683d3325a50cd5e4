import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");
/** Generated code: neither counted for size nor read for imports (it imports only its own folder). */
const GENERATED = path.join(SRC, "client", "gen");
const MAX_LINES = 400;

/** Every hand-written .ts file under src/, as paths relative to src/. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (full === GENERATED) return [];
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(SRC, full)] : [];
  });
}

/** The top folder of a path relative to src/ ("network/topology.ts" → "network"), or undefined for src/x.ts. */
function folderOf(relative: string): string | undefined {
  const [first, ...rest] = relative.split(path.sep);
  return rest.length > 0 ? first : undefined;
}

/** The relative module specifiers of a file: static imports and re-exports, and dynamic `import("…")`. */
function relativeImports(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)["'](\.[^"']+)["']/gm)];
  return specifiers.map((m) => m[1] as string);
}

/** For each src/ folder, the other src/ folders its files import directly. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles()) {
    const from = folderOf(file);
    if (!from) continue; // src/index.ts: the root export, above every folder
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const text = readFileSync(path.join(SRC, file), "utf8");
    for (const specifier of relativeImports(text)) {
      const target = path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier));
      const to = folderOf(target);
      if (target.startsWith("..")) throw new Error(`${file} imports ${specifier}, outside src/`);
      if (to && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A path of folders from `start` back to itself, if the graph has one. */
function cycleThrough(graph: Map<string, Set<string>>, start: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (folder: string, trail: string[]): string[] | undefined => {
    for (const next of graph.get(folder) ?? []) {
      if (next === start) return [...trail, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...trail, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

describe("the layers of src/", () => {
  const graph = folderGraph();

  it("reads the folders and their imports", () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(["bitcoind", "ldk-server", "install", "cache"]));
    expect(graph.get("install")).toContain("cache");
  });

  it("no folder imports a folder that imports it back, directly or through others", () => {
    const cycles = [...graph.keys()].map((folder) => cycleThrough(graph, folder)).filter(Boolean);
    expect(cycles.map((cycle) => cycle?.join(" → "))).toEqual([]);
  });

  it("cache/ imports no other folder but common/; ldk-server/ does not import bitcoind/", () => {
    expect([...(graph.get("cache") ?? [])].filter((f) => f !== "common")).toEqual([]);
    expect(graph.get("ldk-server")).not.toContain("bitcoind");
  });

  it("a kind's folder sees only the layers below it: the registry (kinds/) and its users are above", () => {
    const above = ["kinds", "network", "devnet", "dashboard", "simln", "cli", "scenario", "testing"];
    for (const kind of ["ldk-server", "lnd"])
      expect([...(graph.get(kind) ?? [])].filter((f) => above.includes(f))).toEqual([]);
    for (const kind of ["ldk-server", "lnd"]) expect(graph.get("kinds")).toContain(kind);
  });

  it(`no hand-written source file is longer than ${MAX_LINES} lines`, () => {
    const long = sourceFiles()
      .map((file) => ({ file, lines: readFileSync(path.join(SRC, file), "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
