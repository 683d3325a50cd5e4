import { rm } from "node:fs/promises";
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { CallOptions } from "../common/call-options.js";
import { defaultTimeout } from "../common/durations.js";
import { badOption, LdkRegtestError } from "../common/errors.js";
import { type ErrorJson, errorFromJson, errorToJson, stringifyJson } from "./error-json.js";

/** What a served operation gets besides its arguments. */
export interface OperationContext {
  /** Aborted when the caller goes away (its connection closed) before the reply: stop working. */
  signal: AbortSignal;
}

/** A set of operations by name: each takes its arguments (JSON) and returns a JSON-able result. */
export type Operations = Record<string, (args: never, context: OperationContext) => Promise<unknown>>;

/** What a value becomes through JSON: bigints as decimal strings, the rest as is. */
export type Jsonified<T> = T extends bigint
  ? string
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? Jsonified<U>[]
      : T extends object
        ? { [K in keyof T]: Jsonified<T[K]> }
        : T;

/** The arguments of operation `K` (undefined when it takes none). */
export type ArgsOf<O extends Operations, K extends keyof O> = Parameters<O[K]>[0];
/** What the caller receives from operation `K`. */
export type ResultOf<O extends Operations, K extends keyof O> = Jsonified<Awaited<ReturnType<O[K]>>>;

/** One request: an operation's name and its arguments, typed by the operations it is sent to. */
export type ControlRequest<O extends Operations> = {
  [K in keyof O & string]: { op: K; args: ArgsOf<O, K> };
}[keyof O & string];

/** One reply: the result, or the error with its code, data and wait report. */
export type ControlReply<R = unknown> = { ok: true; result: R } | { ok: false; error: ErrorJson };

/** The arguments to pass for `K`: none when it takes none. */
export type CallArgs<O extends Operations, K extends keyof O> =
  undefined extends ArgsOf<O, K> ? [args?: ArgsOf<O, K>] : [args: ArgsOf<O, K>];

/** Runs one request against `operations`; never throws: a failure is an error reply. */
export async function handleRequest<O extends Operations>(
  operations: O,
  request: unknown,
  context: OperationContext,
): Promise<ControlReply> {
  try {
    const { op, args } = (typeof request === "object" && request !== null ? request : {}) as {
      op?: unknown;
      args?: unknown;
    };
    if (typeof op !== "string" || !Object.hasOwn(operations, op)) {
      throw badOption(
        "op",
        `unknown operation ${JSON.stringify(op)} (known: ${Object.keys(operations).join(", ")})`,
        { value: String(op), known: Object.keys(operations) },
      );
    }
    const operation = operations[op] as (args: unknown, context: OperationContext) => Promise<unknown>;
    return { ok: true, result: await operation(args ?? {}, context) };
  } catch (error) {
    return { ok: false, error: errorToJson(error) };
  }
}

/** Serves `operations` on a unix socket (in the network's 0700 dir): one JSON request, one JSON reply. */
/**
 * One request's body (JSON text) handled by `operations`; the operation is aborted if the caller goes
 * away before the reply. Every server of the operations (control socket, dashboard) answers this way.
 */
export function answerRequest<O extends Operations>(
  operations: O,
  body: string,
  res: ServerResponse,
): Promise<ControlReply> {
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort("the caller went away");
  });
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    request = undefined;
  }
  return handleRequest(operations, request, { signal: gone.signal });
}

export async function serveControl<O extends Operations>(socket: string, operations: O): Promise<Server> {
  await rm(socket, { force: true }); // left by a supervisor that was killed
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c;
    });
    req.on("end", async () => {
      const reply = await answerRequest(operations, body, res);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(stringifyJson(reply));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, resolve);
  });
  return server;
}

/**
 * Asks the server on `socket` for `op`; an error reply is thrown as an LdkRegtestError with its code.
 * Giving up (after `timeoutMs`, default DEFAULT_TIMEOUTS.control, or on abort) aborts the server's
 * operation too: it sees the connection close.
 */
export function callControl<O extends Operations, K extends keyof O & string>(
  socket: string,
  op: K,
  args: ArgsOf<O, K>,
  { timeoutMs = defaultTimeout("control"), signal }: CallOptions = {},
): Promise<ResultOf<O, K>> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        path: "/",
        method: "POST",
        headers: { "content-type": "application/json" },
        timeout: timeoutMs,
        ...(signal ? { signal } : {}),
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c;
        });
        res.on("end", () => {
          let reply: ControlReply<ResultOf<O, K>>;
          try {
            reply = JSON.parse(body) as ControlReply<ResultOf<O, K>>;
          } catch {
            reject(
              new LdkRegtestError(
                "TRANSPORT",
                `the supervisor's reply to ${op} is not JSON: ${body.slice(0, 200)}`,
              ),
            );
            return;
          }
          if (reply.ok) resolve(reply.result);
          else reject(errorFromJson(reply.error));
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(
        new LdkRegtestError("TRANSPORT", `the supervisor did not answer ${op} within ${timeoutMs} ms`, {
          data: { op, timeoutMs },
        }),
      ),
    );
    req.on("error", (error) => {
      if (signal?.aborted) reject(signal.reason);
      else if (error instanceof LdkRegtestError) reject(error);
      else
        reject(
          new LdkRegtestError("TRANSPORT", `cannot reach the supervisor on ${socket}: ${error.message}`, {
            cause: error,
            data: { op, socket },
          }),
        );
    });
    req.end(stringifyJson({ op, args }));
  });
}
