/*
 * The watchdog: a tiny detached Node process that holds a pipe from us. When the pipe closes (we exited,
 * however — even SIGKILL) it stops every registered process group (SIGTERM, then SIGKILL after the grace
 * in ms given as its one argument, DEFAULT_TIMEOUTS.watchdogGrace, or 5 s) and removes the registered
 * throwaway dirs. Messages are one JSON object per line, so any path (even one with a newline) arrives
 * whole: {"add":"pid","pid":N} / {"del":"pid",…} / {"add":"dir","path":"…"} / {"del":"dir",…}.
 * A group counts as gone when no member is left but zombies: a zombie holds no resources, and in a
 * container whose init does not reap, it would otherwise look alive until the SIGKILL deadline.
 */
export const WATCHDOG_SCRIPT = `
const fs = require("node:fs");
const pids = new Set(), dirs = new Set();
let buf = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => {
  buf += d;
  for (let i; (i = buf.indexOf("\\n")) >= 0; ) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    let m;
    try { m = JSON.parse(line); } catch { continue; }
    const set = m.add === "pid" || m.del === "pid" ? pids : dirs;
    const value = set === pids ? Number(m.pid) : String(m.path);
    if (set === pids && !(value > 1)) continue;
    if (m.add) set.add(value); else set.delete(value);
  }
});
for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, () => {});
const live = (p) => {
  try { process.kill(-p, 0); } catch { return false; }
  if (process.platform !== "linux") return true;
  try {
    for (const e of fs.readdirSync("/proc")) {
      if (!/^[0-9]+$/.test(e)) continue;
      let st;
      try { st = fs.readFileSync("/proc/" + e + "/stat", "utf8"); } catch { continue; }
      const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === p && f[0] !== "Z") return true;
    }
    return false;
  } catch { return true; }
};
const signal = (p, s) => { try { process.kill(-p, s); } catch {} };
const finish = () => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); process.exit(0); };
let reaping = false;
const reap = () => {
  if (reaping) return; reaping = true;
  for (const p of pids) signal(p, "SIGTERM");
  const deadline = Date.now() + (Number(process.argv[1]) > 0 ? Number(process.argv[1]) : 5000);
  const tick = () => {
    const left = [...pids].filter(live);
    if (left.length === 0) return finish();
    if (Date.now() > deadline) { left.forEach((p) => signal(p, "SIGKILL")); return setTimeout(finish, 200); }
    setTimeout(tick, 50);
  };
  tick();
};
process.stdin.on("end", reap);
process.stdin.on("error", reap);
`;
