/**
 * Every error the package throws is an `LdkRegtestError` (or a subclass) with one of these codes: a
 * program branches on `error.code`, never on the message. Errors with more to say carry it in `data`.
 */
export const ERROR_CODES = {
  /** An option, argument or environment variable that cannot work (named in `data.option`). */
  BAD_OPTION: "a bad option or argument",
  /** A topology or config file/object that is invalid (`data.path` is the key path). */
  BAD_TOPOLOGY: "a bad topology",
  /** A node name that is not in the network (`data.node`). */
  UNKNOWN_NODE: "no such node",
  /** A daemon's executable is missing or is not what it should be. */
  MISSING_EXECUTABLE: "missing executable",
  /** A port was taken between our probe and the daemon's bind. */
  PORT_IN_USE: "port in use",
  /** A wait ended without its condition (see `WaitError.reason`). */
  WAIT_FAILED: "a wait failed",
  /** A daemon is not running (stopped, crashed, or never started). */
  NOT_RUNNING: "not running",
  /** A daemon failed to start (its log is named). */
  START_FAILED: "a daemon failed to start",
  /** The operation was aborted (a signal, Ctrl-C). */
  ABORTED: "aborted",
  /** A gRPC call to an ldk-server failed (`LdkServerError.grpcCode`). */
  LDK_SERVER_CALL: "an ldk-server call failed",
  /** A REST call to an lnd failed (`LndError.status`, `data.lndCode`). */
  LND_CALL: "an lnd call failed",
  /** A node of another kind than the accessor asks for (`net.lnd("alice")` on an ldk-server node). */
  WRONG_NODE_KIND: "a node of another kind",
  /** A JSON-RPC call to bitcoind failed (`BitcoinRpcError.rpcCode`). */
  BITCOIND_RPC: "a bitcoind RPC failed",
  /** The gRPC transport could not reach a node or broke the protocol. */
  TRANSPORT: "transport failure",
  /** A dir holds something else than we expect (another topology, a running network, a failed build). */
  STATE_CONFLICT: "the state on disk conflicts",
  /** A download or build of a daemon failed. */
  INSTALL_FAILED: "an install failed",
  /** A daemon exited, panicked or was killed during a test that did not allow it. */
  DAEMON_CHECK: "a daemon check failed",
  /** A scenario step failed (`StepError.step`). */
  STEP_FAILED: "a scenario step failed",
  /** A payment ended as failed (`data.paymentId`, `data.node`). */
  PAYMENT_FAILED: "a payment failed",
  /** The network's money did not add up (`data` holds the accounting, see `checkMoneyConserved`). */
  MONEY_NOT_CONSERVED: "money not conserved",
  /** An error without a code of its own (a plain Error from a dependency, or a bug): the message says what. */
  UNEXPECTED: "an unexpected error",
} as const;

/** One of the machine-readable codes of {@link ERROR_CODES}: branch on it, never on the message. */
export type ErrorCode = keyof typeof ERROR_CODES;

export interface LdkRegtestErrorOptions {
  cause?: unknown;
  /** Machine-readable details (a key path, a node name, a limit). */
  data?: Record<string, unknown>;
}

/** The one error type of the package: a code from ERROR_CODES, a message naming cause and fix, data. */
export class LdkRegtestError extends Error {
  override name = "LdkRegtestError";
  readonly data: Record<string, unknown>;

  /** An error with `code`, a message that names the cause and the fix, and optional `cause` and `data`. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: LdkRegtestErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.data = options.data ?? {};
  }

  /** Structured form for `--json` output. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.data };
  }
}

/** Whether `error` is one of ours with this code. */
export function hasCode(error: unknown, code: ErrorCode): error is LdkRegtestError {
  return error instanceof LdkRegtestError && error.code === code;
}

/**
 * A bad option or argument (BAD_OPTION): `message` names the cause and the fix, `data.option` the option.
 * `data` adds more (the value given, the limits).
 */
export function badOption(
  option: string,
  message: string,
  data: Record<string, unknown> = {},
): LdkRegtestError {
  return new LdkRegtestError("BAD_OPTION", message, { data: { option, ...data } });
}

/**
 * A node name that is not there (UNKNOWN_NODE): the message lists the names there are. `where` is where
 * it was looked for ("this network", a dev network's dir); `context` what asked (an argument).
 */
export function unknownNode(
  name: string,
  nodes: readonly string[],
  { where = "this network", context }: { where?: string; context?: string } = {},
): LdkRegtestError {
  const message = `${context ? `${context}: ` : ""}no node "${name}" in ${where} (nodes: ${nodes.join(", ")})`;
  return new LdkRegtestError("UNKNOWN_NODE", message, { data: { node: name, nodes: [...nodes] } });
}

/** A node of another kind than asked for (WRONG_NODE_KIND); `fix` says which accessor fits it. */
export function wrongNodeKind(name: string, kind: string, expected: string, fix: string): LdkRegtestError {
  return new LdkRegtestError("WRONG_NODE_KIND", `${name} is an ${kind} node, not ${expected}: ${fix}`, {
    data: { node: name, kind, expected },
  });
}
