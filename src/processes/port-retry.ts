import { LdkRegtestError, type LdkRegtestErrorOptions } from "../common/errors.js";
import { freePorts } from "./free-port.js";

/** A daemon failed because one of its ports was taken between our probe and its bind (code PORT_IN_USE). */
export class PortInUseError extends LdkRegtestError {
  override readonly name = "PortInUseError";
  /** A port taken between the probe and the daemon's bind. */
  constructor(message: string, options?: LdkRegtestErrorOptions) {
    super("PORT_IN_USE", message, options);
  }
}

/**
 * Whether a daemon's output says it could not bind a port: bitcoind ("Unable to bind"), ldk-server's gRPC
 * port (a panic on the next line: "…AddrInUse…"), ldk-node's P2P listener ("Failed to bind … in use")
 * and lnd (Go's "listen tcp …: bind: address already in use"). The one place that knows these words.
 */
export function isBindFailure(output: string): boolean {
  return /Unable to bind|bind: address already in use|(panicked[^\n]*\n|Failed to bind)[^\n]*(AddrInUse|Address already in use)/.test(
    output,
  );
}

/**
 * Runs `attempt` with fresh random ports, retrying with new ones when it fails with PortInUseError.
 * Any other failure, or the last PortInUseError, is thrown as is.
 */
export async function withFreePorts<T>(
  count: number,
  attempt: (ports: number[]) => Promise<T>,
  {
    attempts = 5,
    pickPorts = freePorts,
  }: { attempts?: number; pickPorts?: (count: number) => Promise<number[]> } = {},
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt(await pickPorts(count));
    } catch (error) {
      if (!(error instanceof PortInUseError) || i >= attempts) throw error;
    }
  }
}

/** A port picker that offers `previous` first (a restart or resume keeps its addresses when it can), then fresh ports. */
export function preferPorts(
  previous: readonly number[] | undefined,
  fallback: (count: number) => Promise<number[]> = freePorts,
): (count: number) => Promise<number[]> {
  let first = previous !== undefined && previous.length > 0 && previous.every((p) => p > 0);
  return async (count) => {
    if (first) {
      first = false;
      return [...(previous as number[])];
    }
    return fallback(count);
  };
}

/**
 * A port picker that never offers one of `avoid`: a copy of a stopped network must not listen where
 * the original did, since its peers' stored addresses still point there (and another copy, with the
 * same node ids, could answer them).
 */
export function avoidingPorts(
  avoid: Iterable<number>,
  fallback: (count: number) => Promise<number[]> = freePorts,
): (count: number) => Promise<number[]> {
  const taken = new Set(avoid);
  return async (count) => {
    for (;;) {
      const ports = await fallback(count);
      if (!ports.some((p) => taken.has(p))) return ports;
    }
  };
}
