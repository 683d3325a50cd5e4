export interface AsyncQueueOptions {
  /** Called by `break` in a for-await loop (or `return()`): stop the source. */
  onReturn?: () => void;
  /**
   * Backpressure: once this many items wait unread, `onPressure(true)` asks the source to pause; when
   * the reader has taken half of them, `onPressure(false)` resumes it. Memory stays bounded by it.
   */
  highWaterMark?: number;
  onPressure?: (paused: boolean) => void;
}

/** A single-consumer queue that turns pushed values into an async iterator (for server streams). */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private done = false;
  private failure: unknown;
  private paused = false;

  constructor(private readonly options: AsyncQueueOptions = {}) {}

  /** Items waiting to be read. */
  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    const high = this.options.highWaterMark ?? Number.POSITIVE_INFINITY;
    if (!this.paused && this.items.length >= high) {
      this.paused = true;
      this.options.onPressure?.(true);
    }
  }

  /** Ends the iteration once buffered items are consumed; with an error, the next read throws it. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.failure = error;
    if (this.waiter && this.items.length === 0) {
      const { resolve, reject } = this.waiter;
      this.waiter = undefined;
      if (error === undefined) resolve({ value: undefined, done: true });
      else reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      const high = this.options.highWaterMark ?? Number.POSITIVE_INFINITY;
      if (this.paused && this.items.length <= high / 2) {
        this.paused = false;
        this.options.onPressure?.(false);
      }
      return Promise.resolve({ value: item, done: false });
    }
    if (this.done) {
      const failure = this.failure;
      this.failure = undefined;
      return failure === undefined
        ? Promise.resolve({ value: undefined, done: true })
        : Promise.reject(failure);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Called by `break` in a for-await loop: stop the source and drop what is buffered. */
  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    this.options.onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
