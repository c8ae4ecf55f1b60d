import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { updateScore } from './reward.js';
import { ScoreBook } from './score-book.js';

describe('ScoreBook', () => {
  it('grows with new uids at score 0 and never shrinks', () => {
    const book = new ScoreBook(2);
    book.setScore(1, 0.2);
    book.ensureSize(4);
    expect(book.scores()).toEqual([0, 0.2, 0, 0]);
    book.ensureSize(1);
    expect(book.size).toBe(4);
    expect(book.maxScore).toBe(0.25);
  });

  it('resets a uid whose hotkey changed, and only that uid', () => {
    const book = new ScoreBook();
    expect(book.syncHotkeys(['5A', '5B', '5C'])).toEqual([]);
    book.setScore(0, 0.1);
    book.setScore(1, 0.2);
    book.setScore(2, 0.3);
    expect(book.syncHotkeys(['5A', '5X', '5C', '5D'])).toEqual([1]);
    expect(book.scores()).toEqual([0.1, 0, 0.3, 0]);
    expect(book.hotkey(1)).toBe('5X');
    expect(book.hotkey(3)).toBe('5D');
  });

  it('zeroes every uid that is not queryable', () => {
    const book = new ScoreBook(4);
    [0.1, 0.2, 0.3, 0.4].forEach((s, uid) => {
      book.setScore(uid, s);
    });
    book.zeroNonQueryable(new Set([1, 3]));
    expect(book.scores()).toEqual([0, 0.2, 0, 0.4]);
  });

  it('applies updateScore with max score 1/size', () => {
    const book = new ScoreBook(8);
    book.setScore(5, 0.05);
    const response = { verified: true, responseTimeS: 4, proofSizeBytes: 4000 };
    const bounds = { min: 2, max: 10 };
    const next = book.applyResponse(5, response, bounds);
    expect(next).toBe(updateScore(0.05, response, bounds, 8));
    expect(book.score(5)).toBe(next);
    expect(book.applyResponse(5, { verified: false }, bounds)).toBeCloseTo(next * 0.6, 15);
  });

  it('keeps every score within [0, 1/size] under any sequence of responses', () => {
    const event = fc.record({
      uid: fc.nat(63),
      verified: fc.boolean(),
      rt: fc.double({ min: 0, max: 100, noNaN: true }),
      size: fc.nat(50_000),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(event, { maxLength: 200 }), (n, events) => {
        const book = new ScoreBook(n);
        for (const e of events) {
          if (e.uid < n)
            book.applyResponse(
              e.uid,
              { verified: e.verified, responseTimeS: e.rt, proofSizeBytes: e.size },
              { min: 1, max: 30 },
            );
        }
        for (const s of book.scores()) {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1 / n);
        }
      }),
    );
  });

  it('round-trips through JSON text', () => {
    const book = new ScoreBook();
    book.syncHotkeys(['5A', '5B']);
    book.ensureSize(3);
    book.setScore(1, 0.123);
    const back = ScoreBook.fromJSON(JSON.stringify(book));
    expect(back.toJSON()).toEqual(book.toJSON());
    expect(back.toJSON()).toMatchObject({
      format: 'omron.score-book',
      version: 1,
      scoringVersion: 1,
      hotkeys: ['5A', '5B', null],
    });
  });

  it.each([
    [
      'another version',
      { format: 'omron.score-book', version: 9, scoringVersion: 1, scores: [], hotkeys: [] },
      'UNSUPPORTED_FORMAT_VERSION',
    ],
    [
      'mismatched lengths',
      { format: 'omron.score-book', version: 1, scoringVersion: 1, scores: [0], hotkeys: [] },
      'INVALID_PERSISTED_STATE',
    ],
    [
      'a negative score',
      { format: 'omron.score-book', version: 1, scoringVersion: 1, scores: [-1], hotkeys: [null] },
      'INVALID_PERSISTED_STATE',
    ],
    [
      'a numeric hotkey',
      { format: 'omron.score-book', version: 1, scoringVersion: 1, scores: [0], hotkeys: [5] },
      'INVALID_PERSISTED_STATE',
    ],
    ['null', null, 'INVALID_PERSISTED_STATE'],
  ])('rejects %s', (_name, json, code) => {
    expect(() => ScoreBook.fromJSON(json)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects out-of-range uids and bad scores', () => {
    const book = new ScoreBook(2);
    expect(() => book.score(2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => book.setScore(0, Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => book.resetUid(-1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
