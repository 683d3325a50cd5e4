import { createRequire } from "node:module";

/** The ldk-server rev this package speaks to: the same pin as flake.nix (both read upstream.json). */
export const LDK_SERVER_UPSTREAM: { owner: string; repo: string; rev: string; hash: string } = createRequire(
  import.meta.url,
)("../../upstream.json").ldkServer;

/**
 * `ldk-server --version` prints `0.1.0 (<git hash>)` (or `unknown` when built outside git; ldk-regtest's
 * test build appends its marker to the hash). A binary
 * built from another rev may speak another API: the warning to show, if any.
 */
export function otherRevWarning(version: string): string | undefined {
  const hash = builtFromRev(version);
  if (
    !hash ||
    hash === "unknown" ||
    LDK_SERVER_UPSTREAM.rev.startsWith(hash) ||
    hash.startsWith(LDK_SERVER_UPSTREAM.rev)
  )
    return undefined;
  return `ldk-regtest: ldk-server reports rev ${hash}, but this package targets ${LDK_SERVER_UPSTREAM.rev.slice(0, 7)}; calls may fail with UNIMPLEMENTED or UNAUTHENTICATED.`;
}

/** The rev in an ldk-server version line, `unknown`, or undefined when it names none. */
export function builtFromRev(version: string): string | undefined {
  return /\(([0-9a-f]{7,40}|unknown)[)+]/.exec(version)?.[1];
}
