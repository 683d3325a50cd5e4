import { BITCOIND_EXECUTABLE } from "../bitcoind/bitcoind.js";
import { cacheDir } from "../cache/cache-dir.js";
import type { KindExecutable } from "../node/kind-driver.js";
import { type ExecutableSpec, findExecutable } from "../processes/find-executable.js";
import { kindExecutables } from "./registry.js";

/** One daemon's check; a kind may add its own fields (ldk-server: `rev`, `expectedRev`, `testKnobs`). */
export interface DaemonCheck {
  ok: boolean;
  source: "env" | "cache" | "path" | null;
  path: string | null;
  version: string | null;
  /** The command that fixes what is wrong; null when nothing is. */
  fix: string | null;
  /** Why it is not ok. */
  problem?: string;
  /** One more line for a human, from its kind (ldk-server: whether it has the test knobs). */
  note?: string;
  [detail: string]: unknown;
}

/** What `doctor` found: the daemons every network needs, then the ones only some need. */
export interface DoctorReport {
  ok: boolean;
  cacheDir: string;
  /** bitcoind and every build that every network needs, by executable name. */
  daemons: Record<string, DaemonCheck>;
  /** Builds only some networks need (`KindExecutable.optionalFor`); they do not make `ok` false. */
  optional: Record<string, DaemonCheck>;
}

/** Where each daemon is found (env, cache, PATH), its version, and what to run if it is not usable. */
export async function doctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const executables = kindExecutables();
  const checks = await Promise.all(executables.map((executable) => checkBuild(executable, env)));
  const daemons: Record<string, DaemonCheck> = { bitcoind: await check(BITCOIND_EXECUTABLE, env) };
  const optional: Record<string, DaemonCheck> = {};
  for (const [i, executable] of executables.entries())
    (executable.optionalFor ? optional : daemons)[executable.spec.name] = checks[i] as DaemonCheck;
  return {
    ok: Object.values(daemons).every((d) => d.ok),
    cacheDir: cacheDir(env),
    daemons,
    optional,
  };
}

/** As `check`, then its kind's own checks of the build (ldk-server: built from the pinned rev). */
async function checkBuild(executable: KindExecutable, env: NodeJS.ProcessEnv): Promise<DaemonCheck> {
  const found = await check(executable.spec, env);
  if (!executable.doctor) return found;
  const finding = executable.doctor(found.version ?? undefined);
  const checked: DaemonCheck = { ...found, ...finding.details };
  if (finding.note !== undefined) checked.note = finding.note;
  if (found.ok && finding.problem !== undefined) {
    checked.ok = false;
    checked.problem = finding.problem;
    checked.fix = installFix(executable.spec, found.source);
  }
  return checked;
}

async function check(spec: ExecutableSpec, env: NodeJS.ProcessEnv): Promise<DaemonCheck> {
  try {
    const found = await findExecutable(spec, env);
    return { ok: true, source: found.source, path: found.path, version: found.version, fix: null };
  } catch (error) {
    return {
      ok: false,
      source: null,
      path: null,
      version: null,
      fix: installFix(spec, env[spec.envVar] ? "env" : null),
      problem: (error as Error).message.split(". ")[0] ?? String(error),
    };
  }
}

/** The install command, plus unsetting the variable when that is what points at the wrong binary. */
function installFix(spec: ExecutableSpec, source: DaemonCheck["source"]): string {
  const install = `npx ldk-regtest install ${spec.install ?? spec.name}`;
  return source === "env" ? `unset ${spec.envVar} && ${install}` : install;
}
