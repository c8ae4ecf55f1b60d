/**
 * Admission by priority, the role of the SDK's `PriorityThreadPoolExecutor`: at most
 * `maxConcurrent` handlers run; waiters are served highest priority first; a waiter that does not
 * get a slot within its timeout is refused (the axon answers 408). Unlike the SDK, the slot is held
 * for the whole handler, so it bounds real concurrency.
 */
export class PriorityGate {
  #running = 0;
  readonly #waiting: { priority: number; grant: () => void }[] = [];

  constructor(readonly maxConcurrent = 10) {}

  /** Resolves with a release function, or with null when `timeoutMs` passes first. */
  acquire(priority: number, timeoutMs: number): Promise<(() => void) | null> {
    if (this.#running < this.maxConcurrent) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => {
      const waiter = {
        priority: Number.isFinite(priority) ? priority : 0,
        grant: () => {
          clearTimeout(timer);
          resolve(this.#releaser());
        },
      };
      const timer = setTimeout(() => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        resolve(null);
      }, timeoutMs);
      const at = this.#waiting.findIndex((w) => w.priority < waiter.priority);
      this.#waiting.splice(at < 0 ? this.#waiting.length : at, 0, waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next.grant();
      else this.#running--;
    };
  }

  get running(): number {
    return this.#running;
  }
}
