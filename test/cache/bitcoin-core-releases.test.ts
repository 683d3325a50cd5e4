import { describe, expect, it } from "vitest";
import {
  BITCOIN_CORE_PLATFORMS,
  BITCOIN_CORE_SHA256,
  bitcoinCorePlatform,
  bitcoinCoreRelease,
  pinnedSha256ForFile,
} from "../../src/cache/bitcoin-core-releases.js";

describe("the pinned Bitcoin Core releases", () => {
  it("has a 64-hex SHA-256 for each of 29.0, 30.2, 31.0 on every platform, all distinct", () => {
    expect(Object.keys(BITCOIN_CORE_SHA256).sort()).toEqual(["29.0", "30.2", "31.0"]);
    const all: string[] = [];
    for (const sums of Object.values(BITCOIN_CORE_SHA256)) {
      expect(Object.keys(sums).sort()).toEqual([...BITCOIN_CORE_PLATFORMS].sort());
      for (const sum of Object.values(sums)) expect(sum).toMatch(/^[0-9a-f]{64}$/);
      all.push(...Object.values(sums));
    }
    expect(new Set(all).size).toBe(12);
  });

  it("builds the official URL, or the mirror's", () => {
    expect(bitcoinCoreRelease("31.0", "x86_64-linux-gnu")).toEqual({
      fileName: "bitcoin-31.0-x86_64-linux-gnu.tar.gz",
      url: "https://bitcoincore.org/bin/bitcoin-core-31.0/bitcoin-31.0-x86_64-linux-gnu.tar.gz",
      sha256: "d3e4c58a35b1d0a97a457462c94f55501ad167c660c245cb1ffa565641c65074",
    });
    expect(bitcoinCoreRelease("29.0", "arm64-apple-darwin", "http://127.0.0.1:9/m/").url).toBe(
      "http://127.0.0.1:9/m/bitcoin-core-29.0/bitcoin-29.0-arm64-apple-darwin.tar.gz",
    );
    expect(() => bitcoinCoreRelease("28.1", "x86_64-linux-gnu")).toThrow(
      /Bitcoin Core 28.1 is not one we pin: choose --bitcoind-version 29.0, 30.2, 31.0/,
    );
  });

  it("maps this machine's platform, and refuses others naming the supported ones", () => {
    expect(bitcoinCorePlatform("linux", "x64")).toBe("x86_64-linux-gnu");
    expect(bitcoinCorePlatform("darwin", "arm64")).toBe("arm64-apple-darwin");
    expect(() => bitcoinCorePlatform("win32", "x64")).toThrow(
      /no Bitcoin Core release for win32\/x64: releases exist for x86_64-linux-gnu, aarch64-linux-gnu, arm64-apple-darwin, x86_64-apple-darwin/,
    );
  });

  it("finds the pinned sum of an official file name only", () => {
    expect(pinnedSha256ForFile("bitcoin-30.2-aarch64-linux-gnu.tar.gz")).toBe(
      "73e76c14edc79808a0511c744d102ffbb494807ee90cbcba176568243254b532",
    );
    expect(pinnedSha256ForFile("my-bitcoin.tar.gz")).toBeUndefined();
  });
});
