import { setTimeout as sleep } from 'node:timers/promises';
import { ChainError } from '../errors.js';

export interface ClockTiming {
  genesisMs: number;
  blockTimeMs: number;
}

/** Block `n` starts at `genesisMs + n * blockTimeMs`. */
export function blockAt(timing: ClockTiming, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - timing.genesisMs) / timing.blockTimeMs));
}

/**
 * Block notifications for the localnet: timers aimed at the next block boundary (capped at 1 s, so a clock
 * re-anchored by another process is picked up). `timing` is read on every tick.
 */
export class BlockClock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly timing: () => ClockTiming) {}

  onBlock(cb: (block: number) => void): () => void {
    let last = blockAt(this.timing(), Date.now());
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      timer = setTimeout(tick, this.msUntil(last + 1));
      this.timers.add(timer);
    };
    const tick = () => {
      if (timer) this.timers.delete(timer);
      const block = blockAt(this.timing(), Date.now());
      if (block > last) {
        last = block;
        cb(block);
      }
      if (!this.stopped && timer) schedule();
    };
    schedule();
    return () => {
      if (timer) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
      timer = undefined;
    };
  }

  /** Resolves once `target` is reached; rejects with CLOSED if the clock stops first. Does not hold the process. */
  async waitForBlock(target: number): Promise<void> {
    while (!this.stopped) {
      if (blockAt(this.timing(), Date.now()) >= target) return;
      await sleep(this.msUntil(target), undefined, { ref: false });
    }
    throw new ChainError('CLOSED', `chain closed before block ${target}`);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private msUntil(block: number): number {
    const { genesisMs, blockTimeMs } = this.timing();
    return Math.min(1000, Math.max(1, genesisMs + block * blockTimeMs - Date.now() + 1));
  }
}
