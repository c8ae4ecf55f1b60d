import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseTimeStats } from '@omron/scoring';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidatorError } from './errors.js';
import { emptyState, RECENT_STEPS, StateStore } from './state.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validator-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function populated() {
  const state = emptyState();
  state.book.syncHotkeys(['5Val', '5Fast', '5Slow']);
  state.book.setScore(1, 0.25);
  state.book.setScore(2, 0.125);
  const stats = new ResponseTimeStats();
  stats.record(1, 1.5);
  stats.record(2, 3.25, false);
  state.responseTimes.set('circuit-a', stats);
  state.guard.admit('hash-1');
  state.miners.set(1, {
    hotkey: '5Fast',
    queries: 3,
    verified: 2,
    lastResponseTimeS: 1.5,
    lastError: null,
    lastStep: 3,
  });
  state.step = 3;
  state.weights = { block: 40, at: 1_700_000_000_000, uids: [1, 2], weights: [65535, 32768] };
  return state;
}

describe('StateStore', () => {
  it('starts fresh when there is no file', async () => {
    const state = await new StateStore(dir).load();
    expect(state.step).toBe(0);
    expect(state.book.size).toBe(0);
  });

  it('restores exactly what it saved', async () => {
    const store = new StateStore(join(dir, 'nested'));
    const state = populated();
    await store.save(state);
    const back = await store.load();
    expect(back.step).toBe(3);
    expect(back.book.scores()).toEqual([0, 0.25, 0.125]);
    expect(back.book.hotkey(2)).toBe('5Slow');
    expect(back.responseTimes.get('circuit-a')?.toJSON()).toEqual(
      state.responseTimes.get('circuit-a')?.toJSON(),
    );
    expect(back.guard.has('hash-1')).toBe(true);
    expect(back.miners.get(1)).toEqual(state.miners.get(1));
    expect(back.weights).toEqual(state.weights);
    expect(await readdir(join(dir, 'nested'))).toEqual(['validator-state.json']);
  });

  it('keeps only the most recent steps', async () => {
    const store = new StateStore(dir);
    const state = emptyState();
    for (let step = 1; step <= RECENT_STEPS + 5; step++) {
      state.steps.push({
        step,
        startedAt: 0,
        finishedAt: 1,
        block: step,
        circuitId: 'c',
        circuitName: 'c',
        responses: [],
        scores: [],
      });
    }
    await store.save(state);
    const back = await store.load();
    expect(back.steps).toHaveLength(RECENT_STEPS);
    expect(back.steps[0]?.step).toBe(6);
  });

  it('refuses a corrupt or foreign file with a typed error naming the file', async () => {
    const store = new StateStore(dir);
    for (const [content, code] of [
      ['{"format":"omron.validator-state"', 'STATE_CORRUPT'],
      ['{"format":"something-else"}', 'STATE_CORRUPT'],
      [JSON.stringify({ ...JSON.parse(await serialized()), version: 99 }), 'STATE_UNSUPPORTED'],
      [
        JSON.stringify({
          ...JSON.parse(await serialized()),
          scores: { format: 'omron.score-book', version: 1, scores: [-1], hotkeys: [null] },
        }),
        'STATE_CORRUPT',
      ],
    ] as const) {
      await writeFile(store.file, content);
      const err = await store.load().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidatorError);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toContain(store.file);
    }
  });
});

async function serialized(): Promise<string> {
  const store = new StateStore(join(dir, 'ref'));
  await store.save(populated());
  return readFile(store.file, 'utf8');
}
