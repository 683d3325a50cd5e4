import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packedFiles } from "../support/pack.js";

const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
};

describe("the packed package", () => {
  it("holds the built library, the test build's patch, the schema, the dashboard and the pins, and nothing else", {
    timeout: 60_000,
  }, async () => {
    const files = await packedFiles(root);
    const allowed = /^(dist|patches|proto|static)\/|^(package\.json|README\.md|upstream\.json)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.|(^|\/)test\/|\.log$|(^|\/)\.ldk-regtest\//.test(f))).toEqual([]);
    // The install builds ldk-server with this patch: the package cannot work without it.
    expect(files.filter((f) => f.startsWith("patches/"))).toContain("patches/ldk-node-test-knobs.patch");
    for (const file of [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((e) => [e.types, e.default]),
    ])
      expect(files, file).toContain(path.normalize(file));
    // dist/ is never cleaned by tsc: a file whose source is gone would ship as dead code.
    const stale = files
      .filter((f) => f.startsWith("dist/"))
      .map((f) => f.replace(/^dist\//, "src/").replace(/(\.d)?\.ts$|\.js(\.map)?$/, ".ts"))
      .filter((source) => !existsSync(path.join(root, source)));
    expect(stale, "built files without a source: delete dist/ and build again").toEqual([]);
  });
});
