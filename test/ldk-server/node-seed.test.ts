import { validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { describe, expect, it } from "vitest";
import { masterKey, newMnemonic, receiveDescriptor } from "../../src/ldk-server/node-seed.js";

describe("node seeds", () => {
  it("serializes a BIP32 master key as the spec's test vector 1 does", () => {
    const seed = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
    expect(masterKey(seed, 0x0488ade4)).toBe(
      "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
    );
  });

  it("makes a fresh valid 24-word mnemonic each time", () => {
    const [a, b] = [newMnemonic(), newMnemonic()];
    expect(a.split(" ")).toHaveLength(24);
    expect(validateMnemonic(a, wordlist)).toBe(true);
    expect(a).not.toBe(b);
  });

  it("describes the BIP84 receiving chain of regtest (coin type 1) under a tprv", () => {
    expect(receiveDescriptor(newMnemonic())).toMatch(
      /^wpkh\(tprv8ZgxMBicQKsP[1-9A-HJ-NP-Za-km-z]{95}\/84h\/1h\/0h\/0\/\*\)$/,
    );
  });
});
