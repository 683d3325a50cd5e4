import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/network/canonical.js";
import { templateDir } from "../../src/network/network-template.js";

describe("canonical form of a topology", () => {
  const a = {
    nodes: { alice: { onchain_sats: 1, alias: "A" }, bob: {} },
    channels: [{ from: "alice", to: "bob", sats: 5 }],
  };
  const b = {
    channels: [{ sats: 5, to: "bob", from: "alice" }],
    nodes: { bob: {}, alice: { alias: "A", onchain_sats: 1 } },
  };

  it("does not depend on key order, and drops undefined values", () => {
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson({ x: 1, y: undefined })).toBe('{"x":1}');
  });

  it("keeps array order and every value (another topology is another string)", () => {
    expect(canonicalJson({ l: [2, 1] })).not.toBe(canonicalJson({ l: [1, 2] }));
    expect(canonicalJson({ ...a, channels: [{ from: "alice", to: "bob", sats: 6 }] })).not.toBe(
      canonicalJson(a),
    );
  });

  it("keys one template for the same topology written in another order", () => {
    const versions = { bitcoind: "v31", ldkServer: "0.1.0" };
    expect(templateDir(a, versions)).toBe(templateDir(b, versions));
  });
});
