import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import { badOption, LdkRegtestError } from "../common/errors.js";

/** A `--sha256` value, lower-cased; anything but 64 hex characters is refused before any work. */
export function sha256Option(value: string): string {
  const hex = value.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw badOption("sha256", `--sha256 must be 64 hex characters, got "${value}"`, { value });
  }
  return hex;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Refuses a tarball whose SHA-256 is not the one expected (`from` says where that one came from). */
export function checkSha256(
  daemon: string,
  tarball: string,
  actual: string,
  expected: string,
  from: string,
): void {
  if (actual === expected) return;
  throw new LdkRegtestError(
    "INSTALL_FAILED",
    `SHA-256 of ${path.basename(tarball)} is ${actual}, expected ${expected} (${from}): refusing to install it`,
    { data: { daemon, file: tarball, sha256: actual, expectedSha256: expected } },
  );
}
