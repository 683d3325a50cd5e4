import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type CommandContext, type RunOptions, runCommand } from "../../src/cli/command-runner.js";
import { LdkRegtestError } from "../../src/common/errors.js";
import { WaitError } from "../../src/waits/wait-for.js";

/** Runs a command with captured output, fake signals and a recorded forced exit. */
async function run(
  options: Omit<RunOptions, "io">,
  body: (
    ctx: CommandContext,
    signals: EventEmitter,
  ) => Promise<Awaited<ReturnType<Parameters<typeof runCommand>[1]>>>,
) {
  const signals = new EventEmitter();
  let stdout = "";
  let stderr = "";
  const exits: number[] = [];
  const code = await runCommand(
    {
      ...options,
      io: {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        exit: (c) => exits.push(c),
        signals: signals as unknown as NodeJS.Process,
      },
    },
    (ctx) => body(ctx, signals),
  );
  return {
    code,
    stdout,
    stderr,
    exits,
    listeners: signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"),
  };
}

/** A body that waits for its signal and then throws what an aborted start throws: the reason itself. */
const abortedStart = async (ctx: CommandContext, signals: EventEmitter, signal = "SIGINT") => {
  signals.emit(signal);
  expect(ctx.signal.aborted).toBe(true);
  throw ctx.signal.reason;
};

describe("the command runner", () => {
  it("success: the human output on stdout; --json: one object with ok", async () => {
    const output = { json: { height: 7 }, human: "mined 1 block: height 7" };
    expect(await run({}, async () => output)).toMatchObject({
      code: 0,
      stdout: "mined 1 block: height 7\n",
      stderr: "",
    });
    const json = await run({ json: true }, async (ctx) => {
      ctx.progress("a step");
      return output;
    });
    expect(json).toMatchObject({ code: 0, stderr: "a step\n", listeners: 0 });
    expect(JSON.parse(json.stdout)).toEqual({ height: 7, ok: true });
  });

  it("a thrown LdkRegtestError: one ✖ line, exit 1; --json carries code, message and data", async () => {
    const refuse = async () => {
      throw new LdkRegtestError("BAD_OPTION", "blocks to mine: 100000 is above the maximum of 1000", {
        data: { option: "blocks", max: 1000 },
      });
    };
    const human = await run({}, refuse);
    expect(human).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "✖ blocks to mine: 100000 is above the maximum of 1000\n",
    });
    const json = await run({ json: true }, refuse);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: {
        code: "BAD_OPTION",
        message: "blocks to mine: 100000 is above the maximum of 1000",
        option: "blocks",
        max: 1000,
      },
    });
  });

  it("a WaitError: WAIT_FAILED and its report as failure.wait", async () => {
    const wait = new WaitError("timed out waiting for: x", "x", { height: 3 }, "timeout", 10);
    const json = await run({ json: true }, async () => {
      throw wait;
    });
    const printed = JSON.parse(json.stdout);
    expect(printed).toMatchObject({
      ok: false,
      error: { code: "WAIT_FAILED", message: "timed out waiting for: x" },
    });
    expect(printed.failure).toEqual({ wait: JSON.parse(JSON.stringify(wait.toJSON())) });
  });

  it("a failure returned with the command's fields keeps them (e2e's result)", async () => {
    const json = await run({ json: true }, async () => ({
      json: { totalMs: 5, failure: { step: "s", message: "m" } },
      failure: new LdkRegtestError("STEP_FAILED", 'E2E failed at step "s": m', { data: { step: "s" } }),
    }));
    expect(JSON.parse(json.stdout)).toEqual({
      totalMs: 5,
      ok: false,
      error: { code: "STEP_FAILED", message: 'E2E failed at step "s": m', step: "s" },
      failure: { step: "s", message: "m" },
    });
    expect(json.stderr).toBe('✖ E2E failed at step "s": m\n');
  });

  it("SIGINT while starting: 'interrupted (SIGINT): …', exit 130 — never '✖ undefined'", async () => {
    const human = await run(
      { interrupted: "stopped every daemon", stopping: "stopping every daemon…" },
      abortedStart,
    );
    expect(human.code).toBe(130);
    expect(human.stderr).toBe(
      "\nSIGINT: stopping every daemon…\n✖ interrupted (SIGINT): stopped every daemon\n",
    );
    expect(human.stderr).not.toContain("undefined");
    const json = await run({ json: true, interrupted: "stopped every daemon" }, abortedStart);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: { code: "ABORTED", message: "interrupted (SIGINT): stopped every daemon", signal: "SIGINT" },
    });
  });

  it("SIGTERM exits 143; an error thrown while winding down is not the story", async () => {
    const result = await run({}, async (_ctx, signals) => {
      signals.emit("SIGTERM");
      throw new Error("Network connection closed.");
    });
    expect(result.code).toBe(143);
    expect(result.stderr).toMatch(/✖ interrupted \(SIGTERM\)\n$/);
  });

  it("a second signal exits at once, printing one JSON object", async () => {
    const result = await run({ json: true, forcedExitJson: () => ({ totalMs: 1 }) }, async (ctx, signals) => {
      signals.emit("SIGINT");
      signals.emit("SIGINT");
      return { json: {}, failure: ctx.signal.reason };
    });
    expect(result.exits).toEqual([130]);
    expect(result.stderr).toContain("SIGINT again: exiting now; the watchdog stops whatever is left");
    expect(result.stdout.trim().split("\n")).toHaveLength(1); // the forced exit's object, not a second one
    expect(JSON.parse(result.stdout)).toMatchObject({ totalMs: 1, ok: false, error: { code: "ABORTED" } });
  });

  it("a command that runs until a signal (foreground up) ends with exit 0 after printing once", async () => {
    const result = await run({ json: true }, async (ctx, signals) => {
      ctx.emit({ json: { dir: "/d" }, human: "table" });
      ctx.endsOnSignal();
      signals.emit("SIGINT");
      ctx.note("stopped");
      return undefined;
    });
    expect(result).toMatchObject({ code: 0, stdout: '{"dir":"/d","ok":true}\n' });
    expect(result.stderr).toContain("stopped\n");
  });

  it("bigints in the output are decimal strings", async () => {
    const result = await run({ json: true }, async () => ({ json: { sats: 10n ** 20n }, human: "" }));
    expect(JSON.parse(result.stdout)).toEqual({ sats: "100000000000000000000", ok: true });
  });
});
