import { spawn } from "node:child_process";
import { once } from "node:events";
import { expect, test } from "vitest";
import { processOwner } from "../../src/common/process-owner.js";

test("processOwner: our own process is ours; an exited child's pid is no process", async () => {
  expect(processOwner(process.pid)).toBe("ours");
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid ?? 0;
  await once(child, "exit");
  expect(processOwner(pid)).toBeUndefined();
});
