import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LDK_SERVER_UPSTREAM, otherRevWarning } from "../../src/ldk-server/upstream.js";

describe("the ldk-server pin", () => {
  it("is read from upstream.json, the file flake.nix reads too", () => {
    expect(LDK_SERVER_UPSTREAM.rev).toBe("7f3276a2b7d45469ba2520751d00df7f0596ca9e");
    expect(readFileSync("flake.nix", "utf8")).toContain("builtins.readFile ./upstream.json");
  });

  it("warns only about a binary that reports another rev", () => {
    expect(otherRevWarning("ldk-server 0.1.0 (7f3276a2b7d45469ba2520751d00df7f0596ca9e)")).toBeUndefined();
    expect(otherRevWarning("ldk-server 0.1.0 (7f3276a)")).toBeUndefined();
    expect(otherRevWarning("ldk-server 0.1.0 (unknown)")).toBeUndefined();
    expect(otherRevWarning("ldk-server 0.1.0 (0123abcd)")).toMatch(
      /reports rev 0123abcd, but this package targets 7f3276a/,
    );
  });
});
