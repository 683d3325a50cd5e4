import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError, type LdkRegtestErrorOptions } from "../common/errors.js";

/**
 * How a daemon binary is found (environment variable, cache, PATH) and checked (its version flag and output).
 */
export interface ExecutableSpec {
  /** File name on PATH, e.g. "bitcoind". */
  name: string;
  /** Environment variable that overrides PATH, e.g. "BITCOIND_EXE". */
  envVar: string;
  /** Arguments that make the binary print its version and exit. */
  versionArgs: string[];
  /** What the first line of that output must match for the binary to count as this daemon. */
  versionPattern: RegExp;
  /** How to get it, for the error message. */
  installHint: string;
  /** What follows `ldk-regtest install` to get it (default `name`). */
  install?: string;
  /** Where `ldk-regtest install` puts it, best first: looked at after the variable, before PATH. */
  cached?: (env: NodeJS.ProcessEnv) => string[];
}

/** The daemon binary is missing or does not run (code MISSING_EXECUTABLE; `data.executable`, `data.path`). */
export class MissingExecutableError extends LdkRegtestError {
  override readonly name = "MissingExecutableError";
  /** A binary that is missing or does not run as the expected daemon; the message names the fix. */
  constructor(message: string, options?: LdkRegtestErrorOptions) {
    super("MISSING_EXECUTABLE", message, options);
  }
}

/** A binary that was found and answered its version flag: its path, where it came from and its version. */
export interface FoundExecutable {
  path: string;
  /** Where it was found: the environment variable, the install cache, or PATH. */
  source: "env" | "cache" | "path";
  /** First line of its version output. */
  version: string;
}

/**
 * Resolves `$envVar` or PATH, and checks the binary answers its version flag as this daemon within
 * `versionTimeoutMs` (default DEFAULT_TIMEOUTS.versionCheck, 10 s); after that it is killed and refused.
 */
export async function findExecutable(
  spec: ExecutableSpec,
  env: NodeJS.ProcessEnv = process.env,
  versionTimeoutMs = defaultTimeout("versionCheck", env),
): Promise<FoundExecutable> {
  const fromEnv = env[spec.envVar];
  const fromCache = fromEnv ? undefined : await firstExecutable(spec.cached?.(env) ?? []);
  const fromPath = fromEnv || fromCache ? undefined : await searchPath(spec.name, env.PATH ?? "");
  const candidate = fromEnv ? path.resolve(fromEnv) : (fromCache ?? fromPath);
  const source = fromEnv ? "env" : fromCache ? "cache" : "path";
  const how = `Run \`npx ldk-regtest install ${spec.install ?? spec.name}\`, or install it yourself and put it on PATH or set ${spec.envVar}=/path/to/${spec.name}. ${spec.installHint}`;
  if (!candidate) {
    throw new MissingExecutableError(
      `${spec.name} not found (not in ${spec.envVar}, the ldk-regtest cache or PATH). ${how}`,
      { data: { executable: spec.name, envVar: spec.envVar } },
    );
  }
  const data = { executable: spec.name, envVar: spec.envVar, path: candidate, source };
  try {
    await access(candidate, constants.X_OK);
  } catch {
    throw new MissingExecutableError(
      `${spec.name} at ${candidate}${fromEnv ? ` (from ${spec.envVar})` : ""} is missing or not executable. ${how}`,
      { data },
    );
  }
  const refuse = (why: string) =>
    new MissingExecutableError(
      `${candidate} does not run as ${spec.name} (\`${spec.versionArgs.join(" ")}\` ${why}). ${how}`,
      { data },
    );
  const run = await runForOutput(candidate, spec.versionArgs, versionTimeoutMs);
  if ("failed" in run) throw refuse(run.failed);
  const version =
    run.stdout
      .split("\n")
      .find((line) => line.trim())
      ?.trim() ?? "";
  if (!spec.versionPattern.test(version)) {
    throw refuse(version ? `printed "${version.slice(0, 120)}"` : "printed nothing");
  }
  return { path: candidate, version, source };
}

function searchPath(name: string, searchPath: string): Promise<string | undefined> {
  return firstExecutable(
    searchPath
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, name)),
  );
}

async function firstExecutable(files: readonly string[]): Promise<string | undefined> {
  for (const file of files) {
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * Runs a short-lived command in its own process group: its stdout, or why it failed (one line). On
 * timeout the whole group is SIGKILLed (a binary may ignore SIGTERM, or leave a child holding the pipe).
 */
function runForOutput(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ stdout: string } | { failed: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (out.length < 64 * 1024) out += chunk;
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (err.length < 4 * 1024) err += chunk;
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ failed: error.message.split("\n")[0] ?? "failed" });
    });
    child.once("exit", killGroup); // anything it left behind in its group, so the pipe closes
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ failed: `did not exit within ${timeoutMs} ms and was killed` });
      else if (code === 0) resolve({ stdout: out });
      else {
        const said = err.split("\n").find((line) => line.trim());
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve({ failed: said ? `${how}: ${said.trim().slice(0, 200)}` : how });
      }
    });
  });
}
