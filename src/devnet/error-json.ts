import { ERROR_CODES, type ErrorCode, LdkRegtestError } from "../common/errors.js";
import { WaitError } from "../waits/wait-for.js";

/** The structured WaitError, as `e2e --json` prints it in `failure.wait`. */
export type WaitJson = ReturnType<WaitError["toJSON"]>;

/** An error as data: what the supervisor sends back, and what a CLI `--json` failure prints. */
export interface ErrorJson {
  code: ErrorCode;
  message: string;
  data: Record<string, unknown>;
  /** Set when a wait failed: its reason, condition, last observation and every daemon's log tail. */
  wait?: WaitJson;
}

/** Codes for the package's errors that are not LdkRegtestErrors (yet), by class name. */
const CODE_BY_NAME: Record<string, ErrorCode> = {
  WaitError: "WAIT_FAILED",
  FatalWaitError: "WAIT_FAILED",
  StepError: "STEP_FAILED",
  BitcoinRpcError: "BITCOIND_RPC",
  BitcoinRpcTimeoutError: "BITCOIND_RPC",
  LdkServerError: "LDK_SERVER_CALL",
  FrameError: "TRANSPORT",
  MissingExecutableError: "MISSING_EXECUTABLE",
  PortInUseError: "PORT_IN_USE",
  DaemonCheckError: "DAEMON_CHECK",
  DaemonLogsError: "DAEMON_CHECK",
  AbortError: "ABORTED",
};

const isCode = (code: unknown): code is ErrorCode =>
  typeof code === "string" && Object.hasOwn(ERROR_CODES, code);

/** The abort reason of a signal: its name, as the CLI aborts with it (`controller.abort("SIGINT")`). */
const isSignalName = (value: unknown): value is string =>
  typeof value === "string" && /^SIG[A-Z0-9]+$/.test(value);

/**
 * Any thrown value as data. An abort reason that is not an Error (`signal.throwIfAborted()` throws the
 * reason itself, a signal's name here) reads "interrupted (SIGINT)", never "undefined".
 */
export function errorToJson(error: unknown): ErrorJson {
  if (!(error instanceof Error)) {
    if (isSignalName(error) || error === undefined)
      return { code: "ABORTED", message: `interrupted (${error ?? "aborted"})`, data: { signal: error } };
    return { code: "UNEXPECTED", message: String(error), data: {} };
  }
  const wait = error instanceof WaitError ? error.toJSON() : (error as { wait?: WaitJson }).wait;
  const own = (error as { code?: unknown }).code;
  const code = error instanceof LdkRegtestError ? error.code : isCode(own) ? own : CODE_BY_NAME[error.name];
  const data = error instanceof LdkRegtestError ? error.data : {};
  return {
    code: code ?? "UNEXPECTED",
    message: error.message || error.name,
    data,
    ...(wait ? { wait } : {}),
  };
}

/** An error rebuilt from its JSON (the supervisor's reply): the same code, data and wait report. */
export class ReportedError extends LdkRegtestError {
  readonly wait: WaitJson | undefined;

  constructor(json: ErrorJson) {
    super(json.code, json.message, { data: json.data });
    this.wait = json.wait;
  }
}

/** Rebuilds an error sent as `errorToJson(error)`; a code this version does not know becomes UNEXPECTED. */
export function errorFromJson(value: unknown): ReportedError {
  const json = (typeof value === "object" && value !== null ? value : {}) as Partial<ErrorJson>;
  const data = typeof json.data === "object" && json.data !== null ? json.data : {};
  return new ReportedError({
    code: isCode(json.code) ? json.code : "UNEXPECTED",
    message:
      typeof json.message === "string" ? json.message : "the supervisor sent an error without a message",
    data: isCode(json.code) ? data : { ...data, sentCode: json.code },
    ...(json.wait ? { wait: json.wait } : {}),
  });
}

/** JSON.stringify for replies and `--json` output: bigints (sats, msats) as decimal strings. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}
