import { type ChildProcess, spawn } from "node:child_process";

/*
 * Children must die with us even when we are SIGKILLed, which no exit handler can catch. A tiny
 * detached watchdog holds a pipe from us: when the pipe closes (we exited, however) it stops every
 * registered process group (SIGTERM, then SIGKILL after 5 s) and removes registered throwaway dirs.
 * Protocol, one line each: `+<pid>` / `-<pid>` for process groups, `D<path>` / `d<path>` for dirs.
 */
const WATCHDOG = `
const fs = require("node:fs");
const pids = new Set(), dirs = new Set();
let buf = "";
process.stdin.on("data", (d) => {
  buf += d;
  for (let i; (i = buf.indexOf("\\n")) >= 0; buf = buf.slice(i + 1)) {
    const op = buf[0], arg = buf.slice(1, i);
    if (op === "+") pids.add(Number(arg)); else if (op === "-") pids.delete(Number(arg));
    else if (op === "D") dirs.add(arg); else if (op === "d") dirs.delete(arg);
  }
});
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => {});
const alive = (p) => { try { process.kill(-p, 0); return true; } catch { return false; } };
const signal = (p, s) => { try { process.kill(-p, s); } catch {} };
const finish = () => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); process.exit(0); };
let reaping = false;
const reap = () => {
  if (reaping) return; reaping = true;
  for (const p of pids) signal(p, "SIGTERM");
  const deadline = Date.now() + 5000;
  const tick = () => {
    const left = [...pids].filter(alive);
    if (left.length === 0) return finish();
    if (Date.now() > deadline) { left.forEach((p) => signal(p, "SIGKILL")); return setTimeout(finish, 200); }
    setTimeout(tick, 50);
  };
  tick();
};
process.stdin.on("end", reap);
process.stdin.on("error", reap);
`;

let watchdog: ChildProcess | undefined;

function send(line: string): void {
  if (!watchdog) {
    watchdog = spawn(process.execPath, ["-e", WATCHDOG], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    watchdog.unref();
    const stdin = watchdog.stdin;
    if (stdin && "unref" in stdin) (stdin as unknown as { unref(): void }).unref();
    stdin?.on("error", () => {});
  }
  watchdog.stdin?.write(`${line}\n`);
}

/** Kill this process group when we exit, however we exit. */
export function reapOnExit(pid: number): void {
  send(`+${pid}`);
}

export function forgetProcess(pid: number): void {
  send(`-${pid}`);
}

/** Remove this directory when we exit, unless `keepDir` is called first. */
export function removeOnExit(dir: string): void {
  send(`D${dir}`);
}

export function keepDir(dir: string): void {
  send(`d${dir}`);
}
