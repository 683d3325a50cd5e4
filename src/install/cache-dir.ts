/** Moved to src/cache/ (a low folder bitcoind/ and ldk-server/ may import): kept until its last importers move. */
export { cacheDir, cachedBinaries, installDir } from "../cache/cache-dir.js";
