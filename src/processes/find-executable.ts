import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";

export interface ExecutableSpec {
  /** File name on PATH, e.g. "bitcoind". */
  name: string;
  /** Environment variable that overrides PATH, e.g. "BITCOIND_EXE". */
  envVar: string;
  /** Arguments that make the binary print its version and exit. */
  versionArgs: string[];
  /** How to get it, for the error message. */
  installHint: string;
}

/** The daemon binary is missing or does not run. */
export class MissingExecutableError extends Error {
  override readonly name = "MissingExecutableError";
}

export interface FoundExecutable {
  path: string;
  /** First line of its version output. */
  version: string;
}

/** Resolves `$envVar` or PATH, and checks the binary answers `--version` within 10 s. */
export async function findExecutable(
  spec: ExecutableSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FoundExecutable> {
  const fromEnv = env[spec.envVar];
  const candidate = fromEnv ? path.resolve(fromEnv) : await searchPath(spec.name, env.PATH ?? "");
  const how = `Install ${spec.name} and put it on PATH, or set ${spec.envVar}=/path/to/${spec.name}. ${spec.installHint}`;
  if (!candidate)
    throw new MissingExecutableError(`${spec.name} not found on PATH and ${spec.envVar} is not set. ${how}`);
  try {
    await access(candidate, constants.X_OK);
  } catch {
    throw new MissingExecutableError(
      `${spec.name} at ${candidate}${fromEnv ? ` (from ${spec.envVar})` : ""} is missing or not executable. ${how}`,
    );
  }
  const version = await new Promise<string>((resolve, reject) => {
    execFile(candidate, spec.versionArgs, { timeout: 10_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.split("\n")[0]?.trim() ?? ""),
    );
  }).catch((error: Error) => {
    throw new MissingExecutableError(
      `${candidate} does not run as ${spec.name} (\`${spec.versionArgs.join(" ")}\` failed: ${error.message.split("\n")[0]}). ${how}`,
    );
  });
  return { path: candidate, version };
}

async function searchPath(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
