import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ProvingQueue } from './bounded-queue.js';
import { PoolError } from './errors.js';

/** A job that resolves when released, and records when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const job = async (signal: AbortSignal) => {
    log.push(`start ${name}`);
    await Promise.race([
      released,
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    ]);
    return name;
  };
  return { job, release };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => 'resolved',
    (err: unknown) => err,
  );
  return e instanceof PoolError ? e.code : String(e);
}

describe('ProvingQueue', () => {
  it('runs one job at a time, higher priority first, FIFO within a priority', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 1, maxLength: 10 });
    const a = gate(log, 'a');
    const pa = q.submit(a.job);
    const jobs = [
      ['low', 1],
      ['high1', 5],
      ['high2', 5],
      ['mid', 3],
    ] as const;
    const rest = jobs.map(([n, p]) =>
      q.submit(
        async () => {
          log.push(`start ${n}`);
          return n;
        },
        { priority: p },
      ),
    );
    expect(q.depth).toBe(4);
    expect(q.active).toBe(1);
    a.release();
    await Promise.all([pa, ...rest]);
    expect(log).toEqual(['start a', 'start high1', 'start high2', 'start mid', 'start low']);
  });

  it('refuses with QUEUE_FULL beyond max length and counts only waiting jobs', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 2, maxLength: 1 });
    const gates = ['a', 'b', 'c'].map((n) => gate(log, n));
    const accepted = gates.map((g) => q.submit(g.job));
    expect(await codeOf(q.submit(async () => 'd'))).toBe('QUEUE_FULL');
    for (const g of gates) g.release();
    expect((await Promise.all(accepted)).map((r) => r.value)).toEqual(['a', 'b', 'c']);
  });

  it('never starts a job whose deadline passed while it waited', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 1, maxLength: 5 });
    const a = gate(log, 'a');
    const pa = q.submit(a.job);
    const late = q.submit(async () => log.push('start late'), { deadline: Date.now() + 30 });
    expect(await codeOf(late)).toBe('DEADLINE_PASSED');
    expect(q.depth).toBe(0);
    a.release();
    await pa;
    expect(log).toEqual(['start a']);
    expect(await codeOf(q.submit(async () => 1, { deadline: Date.now() - 1 }))).toBe('DEADLINE_PASSED');
  });

  it('aborts a running job at its deadline and reports DEADLINE_PASSED', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 1, maxLength: 1 });
    const slow = gate(log, 'slow');
    expect(await codeOf(q.submit(slow.job, { deadline: Date.now() + 40 }))).toBe('DEADLINE_PASSED');
    expect(q.active).toBe(0);
  });

  it('drops a waiting job when its caller goes away', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 1, maxLength: 5 });
    const a = gate(log, 'a');
    const pa = q.submit(a.job);
    const caller = new AbortController();
    const pb = q.submit(async () => log.push('start b'), { signal: caller.signal });
    caller.abort();
    expect(await codeOf(pb)).toBe('CANCELLED');
    a.release();
    await pa;
    expect(log).toEqual(['start a']);
  });

  it('waits for wait-time and reports it', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 1, maxLength: 5 });
    const a = gate(log, 'a');
    const pa = q.submit(a.job);
    const pb = q.submit(async () => 'b');
    await sleep(30);
    a.release();
    await pa;
    expect((await pb).waitMs).toBeGreaterThanOrEqual(25);
  });

  it('close cancels waiting jobs, lets running ones finish within the grace, then aborts the rest', async () => {
    const log: string[] = [];
    const q = new ProvingQueue({ concurrency: 1, maxLength: 5 });
    const a = gate(log, 'a');
    const pa = q.submit(a.job);
    const pb = q.submit(async () => 'b');
    const closing = q.close(1_000);
    expect(await codeOf(pb)).toBe('CANCELLED');
    a.release();
    await closing;
    expect((await pa).value).toBe('a');
    expect(await codeOf(q.submit(async () => 'c'))).toBe('CANCELLED');

    const q2 = new ProvingQueue({ concurrency: 1, maxLength: 5 });
    const stuck = gate(log, 'stuck');
    const ps = q2.submit(stuck.job);
    await q2.close(20);
    expect(await codeOf(ps)).toBe('CANCELLED');
  });

  it('reports state changes for metrics', async () => {
    const states: string[] = [];
    const q = new ProvingQueue({
      concurrency: 1,
      maxLength: 5,
      onChange: (s) => states.push(`${s.waiting}/${s.running}`),
    });
    await Promise.all([q.submit(async () => 1), q.submit(async () => 2)]);
    expect(states.at(-1)).toBe('0/0');
    expect(states).toContain('1/1');
  });
});
