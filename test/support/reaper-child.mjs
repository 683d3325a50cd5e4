// A process that registers daemons and dirs with the (built) reaper, reports its watchdog, and waits to be
// killed. Argument: JSON {pids?: number[], dirs?: string[], spawnSleep?: boolean}.
import { spawn } from "node:child_process";
import { reaper } from "../../dist/processes/reaper.js";

const { pids = [], dirs = [], spawnSleep = false } = JSON.parse(process.argv[2] ?? "{}");
for (const dir of dirs) reaper.removeOnExit(dir);
for (const pid of pids) reaper.reapOnExit(pid);
let sleepPid;
if (spawnSleep) {
  const child = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
  child.unref();
  sleepPid = child.pid;
  reaper.reapOnExit(sleepPid);
}
const report = () =>
  process.stdout.write(`${JSON.stringify({ watchdog: reaper.watchdogPid, sleep: sleepPid })}\n`);
report();
process.stdin.on("data", report); // any input: report again (e.g. after the watchdog was replaced)
setInterval(() => {}, 1000);
