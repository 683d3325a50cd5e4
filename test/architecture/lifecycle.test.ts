import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");

/** Every hand-written .ts file under src/, as paths relative to src/ (generated code left out). */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (full === path.join(SRC, "client", "gen")) return [];
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(SRC, full)] : [];
  });
}

const read = (file: string) => readFileSync(path.join(SRC, file), "utf8");

/**
 * Who may start processes with node:child_process, and why: none of them is a daemon of a network. A
 * daemon is started by the lifecycle (src/daemon/) through DaemonProcess, nowhere else.
 */
const CHILD_PROCESS_USERS: Record<string, string> = {
  "processes/daemon-process.ts": "the spawn primitive the lifecycle uses",
  "processes/reaper.ts": "the watchdog process",
  "processes/find-executable.ts": "`--version` checks",
  "install/apply-patch.ts": "git apply of the knobs patch",
  "install/extract-binaries.ts": "tar",
  "install/run-build.ts": "cargo builds",
  "lnd/install.ts": "the lnd release's own checks",
  "cli/ui-command.ts": "opening the browser",
  "cli/devnet-detach.ts": "the dev network's supervisor process",
};

describe("one daemon lifecycle", () => {
  const files = sourceFiles();

  it("only the lifecycle module spawns daemons (DaemonProcess is used by src/daemon/ alone)", () => {
    const users = files.filter(
      (f) =>
        /\bDaemonProcess\b/.test(read(f)) && !f.startsWith(`daemon${path.sep}`) && !f.startsWith("processes"),
    );
    expect(users).toEqual([]);
    const spawners = files.filter((f) => /DaemonProcess\.spawn\(/.test(read(f)));
    expect(spawners).toEqual([path.join("daemon", "managed-daemon.ts")]);
  });

  it("node:child_process is imported only by the few files that start something other than a daemon", () => {
    const importers = files.filter((f) => /from "node:child_process"/.test(read(f)));
    expect(importers.sort()).toEqual(Object.keys(CHILD_PROCESS_USERS).sort());
  });

  it("every daemon class builds on ManagedDaemon", () => {
    const classes = [
      ["bitcoind/bitcoind.ts", /class Bitcoind extends ManagedDaemon\b/],
      ["ldk-server/ldk-server.ts", /class LdkServer extends NodeDaemon</],
      ["lnd/lnd-node.ts", /class LndNode extends NodeDaemon</],
      ["node/node-daemon.ts", /class NodeDaemon<[\s\S]*?> extends ManagedDaemon\b/],
    ] as const;
    expect(classes.filter(([file, pattern]) => !pattern.test(read(file))).map(([file]) => file)).toEqual([]);
  });
});

/** Methods that are no call to the daemon: they take no CallOptions. */
const NOT_CALLS = new Set(["close", "toJSON", "[Symbol.asyncDispose]"]);

/** Public instance methods of `className` in `file` whose last parameter is not typed `CallOptions`. */
function methodsWithoutCallOptions(file: string, className: string): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  let seen = false;
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== className) return;
    seen = true;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const modifiers = ts.getModifiers(member) ?? [];
      const hidden = modifiers.some(
        (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.StaticKeyword,
      );
      const name = member.name.getText(source);
      if (hidden || name.startsWith("#") || NOT_CALLS.has(name)) continue;
      const last = member.parameters.at(-1);
      if (last?.type?.getText(source) !== "CallOptions") found.push(name);
    }
  });
  if (!seen) throw new Error(`no class ${className} in ${file}`);
  return found;
}

/** The file's import of CallOptions: it must be the one type of src/common/. */
function importsCommonCallOptions(file: string): boolean {
  return /import type \{ CallOptions \} from "(\.\.\/)+common\/call-options\.js"/.test(read(file));
}

describe("one options shape", () => {
  it.each([
    ["client/ldk-server-client.ts", "LdkServerClient"],
    ["lnd/lnd-client.ts", "LndClient"],
  ])("every public method of %s (%s) takes CallOptions last", (file, className) => {
    expect(methodsWithoutCallOptions(file, className)).toEqual([]);
    expect(importsCommonCallOptions(file)).toBe(true);
  });

  it("`{ timeoutMs, signal }` is declared once, in src/common/call-options.ts", () => {
    const declaring = sourceFiles().filter((f) =>
      /interface \w+ \{\s*(\/\*\*[\s\S]*?\*\/\s*)?timeoutMs\?: number;\s*(\/\*\*[\s\S]*?\*\/\s*)?signal\?: AbortSignal;\s*\}/.test(
        read(f),
      ),
    );
    expect(declaring).toEqual([path.join("common", "call-options.ts")]);
  });

  it("the common errors are built by their helpers in src/common/errors.ts, not by hand", () => {
    const byHand = sourceFiles().filter(
      (f) =>
        f !== path.join("common", "errors.ts") && /"(BAD_OPTION|UNKNOWN_NODE|WRONG_NODE_KIND)"/.test(read(f)),
    );
    expect(byHand).toEqual([]);
  });
});
