import { describe, expect, it } from 'vitest';
import { PriorityGate } from './priority-gate.js';

describe('PriorityGate', () => {
  it('admits up to maxConcurrent, then serves waiters highest priority first', async () => {
    const gate = new PriorityGate(1);
    const first = await gate.acquire(0, 1000);
    expect(first).not.toBeNull();
    const order: string[] = [];
    const track = (label: string, priority: number) =>
      gate.acquire(priority, 1000).then((release) => {
        order.push(label);
        return release;
      });
    const low = track('low', 1);
    const high = track('high', 5);
    const mid = track('mid', 3);
    first!();
    (await high)!();
    (await mid)!();
    (await low)!();
    expect(order).toEqual(['high', 'mid', 'low']);
    expect(gate.running).toBe(0);
  });

  it('gives up after the timeout and releases are idempotent', async () => {
    const gate = new PriorityGate(1);
    const release = (await gate.acquire(0, 1000))!;
    expect(await gate.acquire(0, 20)).toBeNull();
    release();
    release();
    expect(gate.running).toBe(0);
    const again = await gate.acquire(0, 20);
    expect(again).not.toBeNull();
    expect(gate.running).toBe(1);
  });
});
