import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCORING_CONFIG } from './config.js';
import { ResponseTimeStats } from './response-time-stats.js';

function filled(times: number[]): ResponseTimeStats {
  const stats = new ResponseTimeStats();
  times.forEach((t, uid) => {
    stats.record(uid, t);
  });
  return stats;
}

describe('ResponseTimeStats.bounds', () => {
  it('falls back to min 0 and the 60 s default (clamped to the timeout) below two samples', () => {
    expect(new ResponseTimeStats().bounds(120)).toEqual({ min: 0, max: 60 });
    expect(filled([5]).bounds(120)).toEqual({ min: 0, max: 60 });
    expect(filled([5]).bounds(30)).toEqual({ min: 0, max: 30 });
  });

  it('uses the fastest sample as min and the slowest as max when 5 % of the samples is under one', () => {
    expect(filled([4.2, 9.1, 6]).bounds(60)).toEqual({ min: 4.2, max: 9.1 });
  });

  it('takes the lower median of the slowest 5 %', () => {
    // 100 samples 1..100 s: the slowest ⌊0.05·100⌋ = 5 are 96..100, median 98.
    expect(filled(Array.from({ length: 100 }, (_, i) => i + 1)).bounds(1000)).toEqual({ min: 1, max: 98 });
    // 80 samples: slowest 4 are 77..80, lower middle 78.
    expect(filled(Array.from({ length: 80 }, (_, i) => i + 1)).bounds(1000)).toEqual({ min: 1, max: 78 });
  });

  it('clamps both bounds to the timeout', () => {
    expect(filled([70, 90, 100]).bounds(60)).toEqual({ min: 60, max: 60 });
  });

  it('ignores unverified and zero-time samples, and keeps one sample per uid', () => {
    const stats = filled([3, 8, 12]);
    stats.record(3, 0.5, false);
    stats.record(4, 0);
    expect(stats.bounds(60)).toEqual({ min: 3, max: 12 });
    stats.record(2, 1); // uid 2 replaces its 12 s sample
    expect(stats.bounds(60)).toEqual({ min: 1, max: 8 });
    stats.record(1, 2, false); // uid 1's verified sample is replaced by an unverified one
    expect(stats.bounds(60)).toEqual({ min: 1, max: 3 });
    expect(stats.size).toBe(5);
  });

  it('evicts the least recently recorded uid beyond capacity', () => {
    const stats = new ResponseTimeStats(SCORING_CONFIG, 3);
    [10, 2, 3].forEach((t, uid) => {
      stats.record(uid, t);
    });
    stats.record(0, 11); // refreshes uid 0
    stats.record(7, 4); // evicts uid 1 (2 s)
    expect(stats.size).toBe(3);
    expect(stats.bounds(60)).toEqual({ min: 3, max: 11 });
  });

  it('keeps min ≤ max ≤ timeout for any samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2000), fc.double({ min: 0, max: 1000, noNaN: true }), fc.boolean()), {
          maxLength: 300,
        }),
        fc.double({ min: 0, max: 600, noNaN: true }),
        (samples, timeout) => {
          const stats = new ResponseTimeStats();
          for (const [uid, t, v] of samples) stats.record(uid, t, v);
          const { min, max } = stats.bounds(timeout);
          expect(min).toBeGreaterThanOrEqual(0);
          expect(min).toBeLessThanOrEqual(max);
          expect(max).toBeLessThanOrEqual(timeout);
          expect(stats.size).toBeLessThanOrEqual(SCORING_CONFIG.evaluationStoreCapacity);
        },
      ),
    );
  });
});

describe('ResponseTimeStats persistence', () => {
  it('round-trips through JSON text, order and all', () => {
    const stats = filled([3, 8, 12, 0.7]);
    stats.record(1, 2, false);
    const text = JSON.stringify(stats);
    const back = ResponseTimeStats.fromJSON(text);
    expect(back.toJSON()).toEqual(stats.toJSON());
    expect(back.bounds(60)).toEqual(stats.bounds(60));
    expect(JSON.parse(text).format).toBe('omron.response-time-stats');
  });

  it.each([
    [
      'another version',
      { format: 'omron.response-time-stats', version: 2, capacity: 4, samples: [] },
      'UNSUPPORTED_FORMAT_VERSION',
    ],
    [
      'another format',
      { format: 'omron.score-book', version: 1, capacity: 4, samples: [] },
      'UNSUPPORTED_FORMAT_VERSION',
    ],
    ['not JSON', '{oops', 'INVALID_PERSISTED_STATE'],
    ['an array', [], 'INVALID_PERSISTED_STATE'],
    [
      'negative time',
      { format: 'omron.response-time-stats', version: 1, capacity: 4, samples: [[1, -2, true]] },
      'INVALID_PERSISTED_STATE',
    ],
    [
      'bad sample',
      { format: 'omron.response-time-stats', version: 1, capacity: 4, samples: [[1, 2]] },
      'INVALID_PERSISTED_STATE',
    ],
    [
      'bad capacity',
      { format: 'omron.response-time-stats', version: 1, capacity: 0, samples: [] },
      'INVALID_PERSISTED_STATE',
    ],
  ])('rejects %s', (_name, json, code) => {
    expect(() => ResponseTimeStats.fromJSON(json)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects bad samples at record time', () => {
    const stats = new ResponseTimeStats();
    expect(() => stats.record(-1, 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => stats.record(1, Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
