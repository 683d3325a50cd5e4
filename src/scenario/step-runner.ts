import { LdkRegtestError } from "../common/errors.js";

export interface StepTiming {
  name: string;
  ms: number;
}

/**
 * A step failed (code STEP_FAILED; `data.step`, `data.index`, `data.ms`): which one, after how long, and
 * the underlying error (with its observation and logs), also its `cause`.
 */
export class StepError extends LdkRegtestError {
  override readonly name = "StepError";
  constructor(
    readonly step: string,
    readonly index: number,
    readonly ms: number,
    readonly error: unknown,
  ) {
    super(
      "STEP_FAILED",
      `step ${index} "${step}" failed after ${ms} ms: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, data: { step, index, ms } },
    );
  }
}

/** Runs named steps in order, timing each and reporting progress. */
export class StepRunner {
  readonly steps: StepTiming[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly report: (event: {
      index: number;
      total: number;
      name: string;
      ms?: number;
    }) => void = () => {},
  ) {}

  async step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const index = this.steps.length + 1;
    this.report({ index, total: this.total, name });
    const t0 = performance.now();
    try {
      const value = await run();
      const ms = Math.round(performance.now() - t0);
      this.steps.push({ name, ms });
      this.report({ index, total: this.total, name, ms });
      return value;
    } catch (error) {
      throw new StepError(name, index, Math.round(performance.now() - t0), error);
    }
  }

  /** Milliseconds since the runner was created. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }
}
