import { type ErrorJson, errorToJson, stringifyJson } from "../devnet/error-json.js";

/** What a command gets from the runner. */
export interface CommandContext {
  readonly json: boolean;
  /** Aborted by the first SIGINT or SIGTERM; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** A progress line: stdout for a human, stderr under `--json` (stdout holds the one object). */
  progress(line: string): void;
  /** A line for the human on stderr, in both modes (a hint, what happens next). */
  note(line: string): void;
  /** Prints the command's output now, for a command that runs on afterwards (a foreground `up`). */
  emit(output: CommandOutput): void;
  /** From now on a signal is this command's normal end (a foreground `up`, `logs --follow`): exit 0. */
  endsOnSignal(): void;
}

/** What a command prints: the `--json` object's fields, or the human's lines or table. */
export interface CommandOutput {
  /** The `--json` object, less `ok` (the runner sets it). */
  json: Record<string, unknown>;
  /** What a human reads on stdout. */
  human?: string;
  /**
   * The command failed without throwing (a scenario's result, a doctor's report): printed as a failure
   * like a thrown error, with `json`'s fields kept in the `--json` object.
   */
  failure?: unknown;
}

export interface RunOptions {
  json?: boolean | undefined;
  /** What the first signal starts, e.g. "stopping every daemon…". */
  stopping?: string;
  /** What an interrupted command did, after "interrupted (SIGINT): ", e.g. "stopped every daemon". */
  interrupted?: string;
  /** Fields of the object a second signal prints under `--json` before it exits at once. */
  forcedExitJson?: () => Record<string, unknown>;
  /** Where output goes and how the process exits (tests replace them). */
  io?: Partial<CommandIo>;
}

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ends the process at once (a second signal). */
  exit: (code: number) => void;
  /** Where SIGINT and SIGTERM are listened for. */
  signals: Pick<NodeJS.Process, "on" | "off">;
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

/**
 * Runs one CLI command, the same way for every command: signals, output and failures.
 *
 * - The first SIGINT/SIGTERM aborts `ctx.signal`; the command winds down (stops its daemons) and the
 *   process exits 130 (SIGINT) or 143 (SIGTERM) with "interrupted (SIGINT): …". A second one exits at
 *   once (the watchdog stops whatever is left), still printing one JSON object under `--json`.
 * - Success: the human output on stdout, or under `--json` one object `{ ok: true, ... }` on stdout.
 * - Failure (thrown, or `output.failure`): one `✖ <message>` on stderr, exit 1; under `--json` also
 *   `{ ok: false, error: { code, message, ...data }, failure?: { wait } }` on stdout.
 *
 * Returns the exit code.
 */
export async function runCommand(
  options: RunOptions,
  body: (ctx: CommandContext) => Promise<CommandOutput | undefined>,
): Promise<number> {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
    signals: process,
    ...options.io,
  };
  const json = options.json === true;
  const controller = new AbortController();
  let received: HandledSignal | undefined;
  let endsOnSignal = false;
  let printed = false;
  const printJson = (object: Record<string, unknown>) => {
    if (printed) return;
    printed = true;
    io.stdout(`${stringifyJson(object)}\n`);
  };

  const onSignal = (signal: HandledSignal) => {
    if (received === undefined) {
      received = signal;
      io.stderr(`\n${signal}: ${endsOnSignal ? "stopping…" : (options.stopping ?? "stopping…")}\n`);
      controller.abort(signal);
      return;
    }
    io.stderr(`\n${signal} again: exiting now; the watchdog stops whatever is left\n`);
    if (json) {
      printJson({
        ...options.forcedExitJson?.(),
        ok: false,
        error: {
          code: "ABORTED",
          message: `interrupted twice (${received}, then ${signal}): exited without waiting; the watchdog stops whatever is left`,
          signal: received,
        },
      });
    }
    io.exit(SIGNAL_EXIT_CODES[received]);
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  io.signals.on("SIGINT", onInt);
  io.signals.on("SIGTERM", onTerm);

  const ctx: CommandContext = {
    json,
    signal: controller.signal,
    progress: (line) => (json ? io.stderr : io.stdout)(`${line}\n`),
    note: (line) => io.stderr(`${line}\n`),
    emit: (output) => {
      if (json) printJson({ ...output.json, ok: true });
      else if (output.human !== undefined) io.stdout(`${output.human}\n`);
      printed = true;
    },
    endsOnSignal: () => {
      endsOnSignal = true;
    },
  };

  let output: CommandOutput | undefined;
  let failure: unknown;
  let failed = false;
  try {
    output = await body(ctx);
    if (output?.failure !== undefined) {
      failed = true;
      failure = output.failure;
    }
  } catch (error) {
    failed = true;
    failure = error;
  } finally {
    io.signals.off("SIGINT", onInt);
    io.signals.off("SIGTERM", onTerm);
  }

  const signal = received;
  if (signal && endsOnSignal && !failed) {
    if (output && !printed) ctx.emit(output);
    return 0;
  }
  if (signal) {
    const what = options.interrupted ? `: ${options.interrupted}` : "";
    const error: ErrorJson = {
      code: "ABORTED",
      message: `interrupted (${signal})${what}`,
      data: { signal },
    };
    reportFailure(error, output?.json);
    return SIGNAL_EXIT_CODES[signal];
  }
  if (failed) {
    reportFailure(errorToJson(failure), output?.json);
    return 1;
  }
  if (output && !printed) ctx.emit(output);
  return 0;

  function reportFailure(error: ErrorJson, fields: Record<string, unknown> | undefined) {
    io.stderr(`✖ ${error.message}\n`);
    if (json) printJson(failureJson(error, fields));
  }
}

/** The `--json` object of a failure: the command's own fields, then `ok`, `error` and `failure.wait`. */
export function failureJson(error: ErrorJson, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const { code, message, data, wait } = error;
  const failure = fields.failure as Record<string, unknown> | undefined;
  return {
    ...fields,
    ok: false,
    error: { ...data, code, message },
    ...(wait || failure ? { failure: { ...failure, ...(wait ? { wait } : {}) } } : {}),
  };
}
