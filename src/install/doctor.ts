import { BITCOIND_EXECUTABLE } from "../bitcoind/bitcoind.js";
import { cacheDir } from "../cache/cache-dir.js";
import { LDK_SERVER_EXECUTABLE, LDK_SERVER_LSPS2_EXECUTABLE } from "../ldk-server/executable.js";
import { isTestBuild } from "../ldk-server/test-knobs.js";
import { builtFromRev, LDK_SERVER_UPSTREAM } from "../ldk-server/upstream.js";
import { LND_EXECUTABLE } from "../lnd/executable.js";
import { type ExecutableSpec, findExecutable } from "../processes/find-executable.js";

export interface DaemonCheck {
  ok: boolean;
  source: "env" | "cache" | "path" | null;
  path: string | null;
  version: string | null;
  /** The command that fixes what is wrong; null when nothing is. */
  fix: string | null;
  /** Why it is not ok. */
  problem?: string;
}

export interface DoctorReport {
  ok: boolean;
  cacheDir: string;
  daemons: {
    bitcoind: DaemonCheck;
    "ldk-server": LdkServerCheck;
  };
  /**
   * Daemons only some networks need (lnd: topologies with `kind = "lnd"`; ldk-server-lsps2: nodes with
   * `lsps2_service`); they do not make `ok` false.
   */
  optional: { lnd: DaemonCheck; "ldk-server-lsps2": LdkServerCheck };
}

/** `testKnobs`: whether it is ldk-regtest's test build (see src/ldk-server/test-knobs.ts); null if not found. */
type LdkServerCheck = DaemonCheck & { rev: string | null; expectedRev: string; testKnobs: boolean | null };

/** Where each daemon is found (env, cache, PATH), its version, and what to run if it is not usable. */
export async function doctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const bitcoind = await check(BITCOIND_EXECUTABLE, env);
  const ldkServer = await checkLdkServer(LDK_SERVER_EXECUTABLE, env);
  const lnd = await check(LND_EXECUTABLE, env);
  const lsps2 = await checkLdkServer(LDK_SERVER_LSPS2_EXECUTABLE, env);
  return {
    ok: bitcoind.ok && ldkServer.ok,
    cacheDir: cacheDir(env),
    daemons: { bitcoind, "ldk-server": ldkServer },
    optional: { lnd, "ldk-server-lsps2": lsps2 },
  };
}

/** As `check`, and the build must be from the pinned rev (another may speak another API). */
async function checkLdkServer(spec: ExecutableSpec, env: NodeJS.ProcessEnv): Promise<LdkServerCheck> {
  const ldk = await check(spec, env);
  const expectedRev = LDK_SERVER_UPSTREAM.rev;
  const rev = ldk.version ? (builtFromRev(ldk.version) ?? null) : null;
  const checked = { ...ldk, rev, expectedRev, testKnobs: ldk.version ? isTestBuild(ldk.version) : null };
  if (ldk.ok && !(rev && rev !== "unknown" && (expectedRev.startsWith(rev) || rev.startsWith(expectedRev)))) {
    checked.ok = false;
    checked.problem = `built from rev ${rev ?? "unknown"}, not the pinned ${expectedRev.slice(0, 7)}: it may speak another API`;
    checked.fix = installFix(spec, ldk.source);
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
