import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as root from "../src/index.js";

describe("the package's public surface", () => {
  it("the root exports the harness and keeps internals out", () => {
    for (const name of [
      "Network",
      "Bitcoind",
      "LdkServer",
      "LdkServerClient",
      "waitFor",
      "WaitError",
      "GrpcCode",
    ])
      expect(root).toHaveProperty(name);
    for (const name of ["runPayOverNewChannel", "RunDir", "describeDaemons", "reaper", "StepRunner"])
      expect(root).not.toHaveProperty(name);
  });

  it("every subpath export points at a built file (npm test builds dist first)", () => {
    const dir = path.resolve(import.meta.dirname, "..");
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
      exports: Record<string, { types: string; default: string }>;
    };
    expect(Object.keys(pkg.exports)).toEqual([".", "./client", "./vitest", "./node-test"]);
    for (const entry of Object.values(pkg.exports)) {
      expect(existsSync(path.join(dir, entry.default)), entry.default).toBe(true);
      expect(existsSync(path.join(dir, entry.types)), entry.types).toBe(true);
    }
  });
});
