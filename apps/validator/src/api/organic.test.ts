import { describe, expect, it } from 'vitest';
import type { MinerTarget, QueryResult, ServedCircuit } from '../ports.js';
import { ORGANIC_COOLDOWN_MS, OrganicRouter } from './organic.js';

const miner = (uid: number): MinerTarget => ({ uid, hotkey: `hk${uid}`, ip: '127.0.0.1', port: 1 });
const MINERS = [miner(1), miner(2), miner(3)];
const SCORES: Record<number, number> = { 1: 0.1, 2: 0.5, 3: 0.3 };

/** A dendrite answer for a miner that could not be reached (what a real dendrite returns for a refused connection). */
const unreachable: QueryResult = {
  statusCode: 503,
  statusMessage: 'connect ECONNREFUSED',
  processTimeS: null,
  output: null,
  responseSignature: null,
};

const circuit = {
  id: 'c'.repeat(64),
  name: 'test',
  timeoutS: 5,
  quantizeInputs: (inputs: number[][]) => inputs.map((row) => row.map((x) => String(Math.round(x * 256)))),
} as unknown as ServedCircuit;

describe('OrganicRouter order and failure handling', () => {
  it('tries miners by score, best first', () => {
    const router = new OrganicRouter({
      query: async () => unreachable,
      candidates: () => MINERS,
      scoreOf: (uid) => SCORES[uid] ?? 0,
      maxAttempts: 3,
    });
    expect(router.ranked().map((m) => m.uid)).toEqual([2, 3, 1]);
  });

  it('moves on after a failure up to maxAttempts, then 504 NO_MINER naming each skip; failed miners go last for a while', async () => {
    let now = 1_000_000;
    const asked: number[] = [];
    const router = new OrganicRouter({
      query: async (target) => {
        asked.push(target.uid);
        return unreachable;
      },
      candidates: () => MINERS,
      scoreOf: (uid) => SCORES[uid] ?? 0,
      maxAttempts: 2,
      now: () => now,
    });
    await expect(router.infer(circuit, [[0.5]])).rejects.toMatchObject({
      code: 'NO_MINER',
      status: 504,
      details: {
        skipped: [
          { uid: 2, reason: 'NO_RESPONSE' },
          { uid: 3, reason: 'NO_RESPONSE' },
        ],
      },
    });
    expect(asked).toEqual([2, 3]);
    expect(router.ranked().map((m) => m.uid)).toEqual([1, 2, 3]);
    now += ORGANIC_COOLDOWN_MS;
    expect(router.ranked().map((m) => m.uid)).toEqual([2, 3, 1]);
  });

  it('no candidates: 504 at once', async () => {
    const router = new OrganicRouter({
      query: async () => unreachable,
      candidates: () => [],
      scoreOf: () => 0,
      maxAttempts: 3,
    });
    await expect(router.infer(circuit, [[0.5]])).rejects.toMatchObject({ code: 'NO_MINER' });
  });

  it('a miner that hangs gets only its share of the timeout, so the next one is still asked in time', async () => {
    let now = 0;
    const timeouts: number[] = [];
    const router = new OrganicRouter({
      query: async (_target, _request, timeoutS) => {
        timeouts.push(timeoutS);
        now += timeoutS * 1000; // the miner never answers: the dendrite gives up after timeoutS
        return {
          statusCode: 408,
          statusMessage: 'timeout',
          processTimeS: null,
          output: null,
          responseSignature: null,
        };
      },
      candidates: () => MINERS,
      scoreOf: (uid) => SCORES[uid] ?? 0,
      maxAttempts: 3,
      now: () => now,
    });
    await expect(router.infer(circuit, [[0.5]])).rejects.toMatchObject({ code: 'NO_MINER' });
    // timeoutS 5 over 3 attempts: 5/3 each, all three asked within the 5 s.
    expect(timeouts.map((t) => t.toFixed(3))).toEqual(['1.667', '1.667', '1.667']);
  });
});
