import { expect } from "vitest";
import { runChild } from "./run-child.js";

/** What `npm publish` would upload from `root`: the list `npm pack --dry-run` prints (dist/ as built). */
export async function packedFiles(root: string): Promise<string[]> {
  const { code, output } = await runChild(
    "npm",
    ["pack", "--dry-run", "--json", "--ignore-scripts", "--silent"],
    root,
  );
  expect(code, output).toBe(0);
  const [packed] = JSON.parse(output) as [{ files: { path: string }[] }];
  return packed.files.map((f) => f.path).sort();
}
