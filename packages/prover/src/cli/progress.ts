import type { ProveProgress } from '../prover.js';
import type { CliIo } from './io.js';

const WIDTH = 30;

/** A one-line progress bar on stderr; silent unless stderr is a terminal. */
export class ProgressBar {
  private last = '';

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  update(label: string, fraction: number): void {
    if (!this.enabled) return;
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * WIDTH);
    const line = `${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(f * 100).toFixed(0).padStart(3)}%`;
    if (line === this.last) return;
    this.last = line;
    this.io.stderr(`\r${line}`);
  }

  /** Progress callback for `Prover.prove`. */
  readonly onProve = (p: ProveProgress): void => this.update(p.stage, p.fraction);

  /** Runs `work` with an elapsed-time spinner (for stages without fractions, e.g. keygen). */
  async during<T>(label: string, work: Promise<T>): Promise<T> {
    if (!this.enabled) return work;
    const started = Date.now();
    const frames = ['|', '/', '-', '\\'];
    let i = 0;
    const timer = setInterval(() => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      this.io.stderr(`\r${label} ${frames[i++ % frames.length]} ${seconds}s`);
    }, 100);
    try {
      return await work;
    } finally {
      clearInterval(timer);
      this.done();
    }
  }

  done(): void {
    if (this.enabled) this.io.stderr('\n');
    this.last = '';
  }
}
