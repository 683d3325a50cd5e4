import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTopology } from "../../src/network/topology.js";
import { runChild } from "../support/run-child.js";

const root = path.resolve(import.meta.dirname, "../..");
const docs = [
  "README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const read = (doc: string) => readFileSync(path.join(root, doc), "utf8");

/** The guides: each starts from an example file that test/e2e/examples.e2e.test.ts runs. */
const GUIDES = ["testing", "dev-network", "mixed-networks", "lsp-jit", "hard-paths", "client", "ci"];

/** Code blocks that name their file on their first line (`// examples/…` or `# examples/…`). */
function fileBlocks(text: string): { file: string; body: string }[] {
  return [...text.matchAll(/```\w*\n(?:\/\/|#) (examples\/\S+)\n([\s\S]*?)```/g)].map((m) => ({
    file: m[1] as string,
    body: m[2] as string,
  }));
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

function anchors(doc: string): Set<string> {
  const text = read(doc).replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] as string)));
}

describe("the user docs", () => {
  it("each guide shows its example file as it is, so the code a reader copies is the code the tests run", () => {
    for (const guide of GUIDES) {
      const blocks = fileBlocks(read(`docs/${guide}.md`));
      expect(blocks.length, `docs/${guide}.md shows no example file`).toBeGreaterThan(0);
      for (const { file, body } of blocks)
        expect(body.trimEnd(), `docs/${guide}.md: the block of ${file}`).toBe(read(file).trimEnd());
    }
  });

  it("every relative link points at a file that exists, and every #anchor at a heading", () => {
    const broken: string[] = [];
    for (const doc of docs) {
      const text = read(doc).replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split("#") as [string, string | undefined];
        const linked = file === "" ? doc : path.relative(root, path.resolve(root, path.dirname(doc), file));
        if (!existsSync(path.join(root, linked))) broken.push(`${doc}: ${target}`);
        else if (anchor !== undefined && linked.endsWith(".md") && !anchors(linked).has(anchor))
          broken.push(`${doc}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("say nothing of issue numbers, and measured figures only on the benchmarks page", () => {
    for (const doc of docs) {
      expect(read(doc), doc).not.toMatch(/(^|[\s(])#\d+\b|\bissue #?\d+/im);
      if (!["docs/benchmarks.md", "docs/development.md"].includes(doc))
        expect(read(doc), doc).not.toMatch(/\bmedians?\b|\bp95\b|npm run bench:/);
    }
  });

  it("the README's five-line dev network writes a topology of two nodes and their channel (its first line run here)", async () => {
    const line = read("README.md").match(/^printf .+ > ldk-regtest\.toml$/m)?.[0];
    expect(line).toBeDefined();
    const dir = await mkdtemp(path.join(tmpdir(), "readme-devnet-"));
    try {
      const { code, output } = await runChild("bash", ["-c", line as string], dir);
      expect(code, output).toBe(0);
      const topology = await loadTopology(path.join(dir, "ldk-regtest.toml"));
      expect(Object.keys(topology.nodes)).toEqual(["alice", "bob"]);
      expect(topology.channels).toMatchObject([{ from: "alice", to: "bob", sats: 1_000_000 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
