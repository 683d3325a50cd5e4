/** A node's chain poll held back until the chain moves (or the hold runs out). */
export interface HeldPoll {
  /** The tip the node already has: released once bitcoind's tip differs. */
  tip: string;
  /** Answers the poll with a fresh answer from bitcoind. */
  answer: (why: "released" | "timeout") => void;
  timer: NodeJS.Timeout;
}

/**
 * The polls held at one time, at most `limit` (a poll beyond that is answered at once, so memory stays
 * bounded). Each is answered exactly once: on release, or when its hold runs out.
 */
export class HeldPolls {
  private readonly held = new Set<HeldPoll>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.held.size;
  }

  /** Holds `answer` for at most `holdMs`; undefined (not held) when the limit is reached. */
  hold(tip: string, holdMs: number, answer: HeldPoll["answer"]): HeldPoll | undefined {
    if (this.held.size >= this.limit) return undefined;
    const poll: HeldPoll = {
      tip,
      answer,
      timer: setTimeout(() => this.answer(poll, "timeout"), holdMs),
    };
    this.held.add(poll);
    return poll;
  }

  /** Answers one held poll now (false if it was answered already). */
  releaseOne(poll: HeldPoll): boolean {
    const held = this.held.has(poll);
    this.answer(poll, "released");
    return held;
  }

  /** Answers every held poll whose node has another tip than `tip` (all of them without a tip). */
  release(tip?: string): number {
    let released = 0;
    for (const poll of [...this.held]) {
      if (tip !== undefined && poll.tip === tip) continue;
      this.answer(poll, "released");
      released++;
    }
    return released;
  }

  private answer(poll: HeldPoll, why: "released" | "timeout"): void {
    if (!this.held.delete(poll)) return;
    clearTimeout(poll.timer);
    poll.answer(why);
  }
}
