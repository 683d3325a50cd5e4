import { existsSync } from "node:fs";
import path from "node:path";

/** Debian's chromium on PATH (CI installs it), or CHROMIUM_EXE; no browser is ever downloaded. */
export const CHROMIUM =
  process.env.CHROMIUM_EXE ??
  (process.env.PATH ?? "")
    .split(path.delimiter)
    .flatMap((dir) => ["chromium", "chromium-browser"].map((name) => path.join(dir, name)))
    .find(existsSync);

/** Why a browser test is SKIPPED, when it is. */
export const NO_CHROMIUM = "no chromium (apt-get install chromium, or set CHROMIUM_EXE)";
