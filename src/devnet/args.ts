import { badOption, unknownNode } from "../common/errors.js";
import { MIN_FUNDING_SATS } from "../network/funding.js";
import { MAX_BLOCKS_PER_MINE } from "../network/mining.js";
import { MAX_MONEY_SATS, parseAmountMsat } from "./amount.js";

/**
 * The dev network's arguments and their limits, checked in one place: `checkDevnetArgs` is what the
 * supervisor's operations run on what they receive (its control socket may be called by other
 * programs), and what the CLI runs on what it parsed, to refuse a typo before asking. Nothing reaches
 * bitcoind or a node before they pass.
 */

/** bitcoind refuses an output below this as dust ("Transaction amount too small"): the Network's limit. */
export const DUST_LIMIT_SATS = MIN_FUNDING_SATS;

/** Blocks one `mine` may ask for (the Network's limit: more is a typo, and keeps bitcoind busy). */
export { MAX_BLOCKS_PER_MINE };

/**
 * The smallest channel the CLI opens. LDK refuses 1000 sat outright and, at regtest's fallback fee
 * rates, the acceptor closes 1500 and 2000 sat channels at once (the opener cannot pay the anchors, the
 * commitment fee and the reserve); 2500 sat was the smallest seen to work. 5000 leaves room for fees.
 */
export const MIN_CHANNEL_SATS = 5_000;

export { MAX_MONEY_SATS };

/** What an opener's wallet keeps back per anchor channel (ldk-node's per_channel_reserve_sats). */
export const ANCHOR_RESERVE_SATS = 25_000;

/** A whole number from the command line ("100000", "100_000") or a JSON number; anything else is undefined. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "bigint") return wholeNumber(Number(value));
  if (typeof value !== "string" || !/^\d[\d_]*$/.test(value.trim())) return undefined;
  return wholeNumber(Number(value.trim().replaceAll("_", "")));
}

/** A whole number of `what` within [min, max]; the error names the range and `fix`. */
export function parseWholeNumber(
  value: unknown,
  { option, what, min, max, fix }: { option: string; what: string; min: number; max: number; fix: string },
): number {
  const n = wholeNumber(value);
  if (n !== undefined && n >= min && n <= max) return n;
  const got = JSON.stringify(String(value));
  const why =
    n === undefined
      ? `${got} is not a whole number`
      : n < min
        ? `${n} is below the minimum of ${min}`
        : `${n} is above the maximum of ${max}`;
  return fail(badOption(option, `${what}: ${why}; ${fix}`, { value: String(value), min, max }));
}

const fail = (error: Error): never => {
  throw error;
};

/** `mine [blocks]`: 1 to MAX_BLOCKS_PER_MINE. */
export function parseBlocks(value: unknown = 1): number {
  return parseWholeNumber(value, {
    option: "blocks",
    what: "blocks to mine",
    min: 1,
    max: MAX_BLOCKS_PER_MINE,
    fix: `mine 1 to ${MAX_BLOCKS_PER_MINE} blocks per call (for more, call \`ldk-regtest mine ${MAX_BLOCKS_PER_MINE}\` again)`,
  });
}

/** `fund <node> <sats>`: at least the dust limit. */
export function parseFundSats(value: unknown): number {
  return parseWholeNumber(value, {
    option: "sats",
    what: "sats to fund",
    min: DUST_LIMIT_SATS,
    max: MAX_MONEY_SATS,
    fix: `send at least ${DUST_LIMIT_SATS} sat (bitcoind refuses smaller outputs as dust), e.g. \`ldk-regtest fund bob 500000\``,
  });
}

/** `open <from> <to> <sats>`: a channel size LDK opens. */
export function parseChannelSats(value: unknown): number {
  return parseWholeNumber(value, {
    option: "sats",
    what: "channel size in sats",
    min: MIN_CHANNEL_SATS,
    max: MAX_MONEY_SATS,
    fix: `open a channel of at least ${MIN_CHANNEL_SATS} sat (LDK cannot pay the commitment fees and reserves of a smaller one), e.g. \`ldk-regtest open alice bob 100000\``,
  });
}

/** `open --push <sats>`: less than the channel. */
export function parsePushSats(value: unknown, channelSats: number): number {
  if (value === undefined) return 0;
  return parseWholeNumber(value, {
    option: "push",
    what: "sats to push",
    min: 0,
    max: channelSats - 1,
    fix: `push less than the channel's ${channelSats} sat`,
  });
}

/** A channel needs two different nodes. */
export function checkChannelEnds(from: string, to: string): void {
  if (from !== to) return;
  fail(
    badOption("to", `a channel from ${from} to itself cannot be opened: name two different nodes`, {
      value: String(to),
      node: from,
    }),
  );
}

/** `invoice --jit`: the node buys JIT channels from an LSP of the topology. */
export function checkLsps2Client(node: string, lsp: string | undefined): void {
  if (lsp !== undefined) return;
  fail(
    badOption(
      "jit",
      `${node} has no LSP for a JIT invoice: give it lsps2_client = "<lsp>" in the topology, and the LSP lsps2_service = {}`,
      { value: String(node), node },
    ),
  );
}

/** `name` is one of `nodes`, or an UNKNOWN_NODE error naming them. */
export function checkNode(name: unknown, nodes: readonly string[]): string {
  if (typeof name === "string" && nodes.includes(name)) return name;
  return fail(unknownNode(String(name), nodes));
}

/** The opener can pay for the channel and keep its anchor reserve, or a BAD_OPTION naming the fix. */
export function checkChannelFunds(from: string, sats: number, spendableSats: bigint | number): void {
  const spendable = BigInt(spendableSats);
  const needed = BigInt(sats + ANCHOR_RESERVE_SATS);
  if (spendable >= needed) return;
  const most = spendable - BigInt(ANCHOR_RESERVE_SATS);
  const smaller = most >= MIN_CHANNEL_SATS ? `open at most ${most} sat, or ` : "";
  fail(
    badOption(
      "sats",
      `${from} can spend ${spendable} sat on-chain, less than the channel's ${sats} sat plus the ${ANCHOR_RESERVE_SATS} sat an anchor channel keeps in reserve: ${smaller}fund it first (\`ldk-regtest fund ${from} ${needed - spendable + 10_000n}\`, which leaves some for fees)`,
      { value: String(sats), node: from, spendableSats: spendable.toString(), neededSats: needed.toString() },
    ),
  );
}

/** A BOLT11 invoice (`lnbcrt…`) or a BOLT12 offer (`lno…`); anything else is refused before sending. */
export function checkPayable(target: unknown): string {
  const text = typeof target === "string" ? target.trim() : "";
  if (/^ln[a-z0-9]+$/i.test(text)) return text;
  return fail(
    badOption(
      "invoice-or-offer",
      `${JSON.stringify(String(target))} is not a BOLT11 invoice (lnbcrt…) or a BOLT12 offer (lno…): pass what \`ldk-regtest invoice\` printed`,
      { value: String(target) },
    ),
  );
}

/** `up --auto-mine <seconds>`: a block every 1 to 3600 s. */
export function parseAutoMineSeconds(value: unknown): number {
  return parseWholeNumber(value, {
    option: "auto-mine",
    what: "--auto-mine seconds",
    min: 1,
    max: 3600,
    fix: "mine a block every 1 to 3600 s, e.g. --auto-mine 10",
  });
}

/** `logs --lines <n>`. */
export function parseLogLines(value: unknown): number {
  return parseWholeNumber(value, {
    option: "lines",
    what: "--lines",
    min: 1,
    max: 100_000,
    fix: "show 1 to 100000 lines, e.g. --lines 200",
  });
}

/** A whole number as the CLI passes it (its text) or a program does (a JSON number). */
export type WholeNumberArg = number | string;

/** What each operation of the dev network takes, as the CLI or a program on the control socket sends it. */
export interface DevnetArgs {
  mine: { blocks?: WholeNumberArg | undefined };
  fund: { node: string; sats: WholeNumberArg };
  open: {
    from: string;
    to: string;
    sats: WholeNumberArg;
    push?: WholeNumberArg | undefined;
    private?: boolean | undefined;
  };
  /** `amount` with its unit: `50sat`, `50000msat`. */
  invoice: { node: string; amount: string; description?: string | undefined; jit?: boolean | undefined };
  pay: { node: string; target: string };
  close: { from: string; to: string };
}

/** An operation of the dev network that takes arguments. */
export type DevnetArgsOp = keyof DevnetArgs;

/**
 * The one check of each operation's arguments: whole numbers in range, amounts with their unit, a
 * payable target, a channel between two different nodes. Given the network's `nodes`, every node name
 * is checked too (the CLI, which does not know them, leaves that to the supervisor). Returns the
 * arguments as the operation uses them; a bad one is a BAD_OPTION (UNKNOWN_NODE for a name) naming it.
 */
export const checkDevnetArgs = {
  mine: (args: DevnetArgs["mine"] | undefined) => ({ blocks: parseBlocks(args?.blocks) }),
  fund: (args: DevnetArgs["fund"], nodes?: readonly string[]) => ({
    node: nodeArg(args.node, nodes),
    sats: parseFundSats(args.sats),
  }),
  open: (args: DevnetArgs["open"], nodes?: readonly string[]) => {
    const ends = channelEnds(args, nodes);
    const sats = parseChannelSats(args.sats);
    return { ...ends, sats, push: parsePushSats(args.push, sats), private: args.private === true };
  },
  invoice: (args: DevnetArgs["invoice"], nodes?: readonly string[]) => ({
    node: nodeArg(args.node, nodes),
    amountMsat: parseAmountMsat(args.amount),
    description: String(args.description ?? "ldk-regtest"),
    jit: args.jit === true,
  }),
  pay: (args: DevnetArgs["pay"], nodes?: readonly string[]) => ({
    node: nodeArg(args.node, nodes),
    target: checkPayable(args.target),
  }),
  close: (args: DevnetArgs["close"], nodes?: readonly string[]) => channelEnds(args, nodes),
};

/** Runs `op`'s check on `args` (an operation without arguments has none): what a client runs before asking. */
export function checkArgsOf(op: string, args: unknown): void {
  if (!Object.hasOwn(checkDevnetArgs, op)) return;
  (checkDevnetArgs[op as DevnetArgsOp] as (args: unknown) => unknown)(args);
}

/** A node's name: one of `nodes` when they are known. */
function nodeArg(name: unknown, nodes: readonly string[] | undefined): string {
  return nodes ? checkNode(name, nodes) : String(name);
}

/** Two different nodes (of `nodes`, when known) for a channel. */
function channelEnds(args: { from: unknown; to: unknown }, nodes: readonly string[] | undefined) {
  const [from, to] = [nodeArg(args.from, nodes), nodeArg(args.to, nodes)];
  checkChannelEnds(from, to);
  return { from, to };
}
