import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BITCOIND_EXECUTABLE } from "../../src/bitcoind/bitcoind.js";
import { findExecutable } from "../../src/processes/find-executable.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();

describe.skipIf(!daemons.ok)(e2eTitle("bitcoind's version check", daemons), () => {
  it("writes nothing to the user's home, and many checks at once all pass", async () => {
    // bitcoind 31 wrote ~/.bitcoin/settings.json for -version; parallel Network.starts raced on it.
    const home = await mkdtemp(path.join(tmpdir(), "ldk-regtest-home-"));
    const saved = process.env.HOME;
    process.env.HOME = home; // what the spawned checks inherit
    try {
      const found = await Promise.allSettled(
        Array.from({ length: 16 }, () => findExecutable(BITCOIND_EXECUTABLE)),
      );
      expect(found.filter((r) => r.status === "rejected")).toEqual([]);
      expect(existsSync(path.join(home, ".bitcoin"))).toBe(false);
      expect(await readdir(home)).toEqual([]);
    } finally {
      process.env.HOME = saved;
      await rm(home, { recursive: true, force: true });
    }
  });
});
