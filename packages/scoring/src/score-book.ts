import { SCORING_CONFIG, type ScoringConfig } from './config.js';
import { requireFinite, requireInteger, ScoringError } from './errors.js';
import { parsePersisted } from './persisted.js';
import { type ResponseOutcome, type ResponseTimeBounds, updateScore } from './reward.js';

/** Identifies the persisted form; `version` changes whenever its shape does. */
export const SCORE_BOOK_FORMAT = 'omron.score-book';
export const SCORE_BOOK_FORMAT_VERSION = 1;

/** Persisted form. `hotkeys[uid]` is null until the uid's hotkey is known. */
export type ScoreBookJSON = {
  format: typeof SCORE_BOOK_FORMAT;
  version: typeof SCORE_BOOK_FORMAT_VERSION;
  scoringVersion: number;
  scores: number[];
  hotkeys: (string | null)[];
};

const MAX_UIDS = 65_536;

/**
 * The validator's score vector, indexed by uid, with the hotkey each score was earned by. A uid whose hotkey
 * changes (deregistered and taken by a new miner) starts again from 0; uids that are not queryable are zeroed;
 * the vector grows when the subnet does.
 *
 * @example
 * const book = new ScoreBook();
 * book.syncHotkeys(metagraphHotkeys);          // grows, resets re-registered uids
 * book.zeroNonQueryable(queryableUids);
 * book.applyResponse(uid, { verified: true, responseTimeS: 3.1, proofSizeBytes: 4192 }, stats.bounds(60));
 */
export class ScoreBook {
  #scores: number[] = [];
  #hotkeys: (string | null)[] = [];
  readonly #config: ScoringConfig;

  constructor(size = 0, config: ScoringConfig = SCORING_CONFIG) {
    this.#config = config;
    this.ensureSize(size);
  }

  /** Number of uids tracked. */
  get size(): number {
    return this.#scores.length;
  }

  /** The most a score can reach: 1/size (Omron `max_score`). */
  get maxScore(): number {
    return this.size === 0 ? 0 : 1 / this.size;
  }

  /** A copy of the score vector. */
  scores(): number[] {
    return [...this.#scores];
  }

  score(uid: number): number {
    return this.#scores[this.#uid(uid)]!;
  }

  hotkey(uid: number): string | null {
    return this.#hotkeys[this.#uid(uid)]!;
  }

  /** Grows the vector to `n` uids, new ones at score 0. Never shrinks: subnets do not lose uids. */
  ensureSize(n: number): void {
    requireInteger('n', n, 0, MAX_UIDS);
    while (this.#scores.length < n) {
      this.#scores.push(0);
      this.#hotkeys.push(null);
    }
  }

  /** Sets one score (≥ 0, finite). */
  setScore(uid: number, score: number): void {
    this.#scores[this.#uid(uid)] = requireFinite('score', score, { nonNegative: true });
  }

  /** Score back to 0, e.g. after the uid was re-registered by another hotkey. */
  resetUid(uid: number): void {
    this.#scores[this.#uid(uid)] = 0;
  }

  /**
   * Records the metagraph's hotkey for every uid (`hotkeys[uid]`), growing the vector to fit, and resets each uid
   * whose recorded hotkey differs. Returns the uids that were reset.
   */
  syncHotkeys(hotkeys: readonly string[]): number[] {
    this.ensureSize(hotkeys.length);
    const reset: number[] = [];
    hotkeys.forEach((hotkey, uid) => {
      if (typeof hotkey !== 'string')
        throw new ScoringError('INVALID_INPUT', `hotkeys[${uid}] must be a string`);
      const known = this.#hotkeys[uid];
      if (known !== null && known !== hotkey) {
        this.#scores[uid] = 0;
        reset.push(uid);
      }
      this.#hotkeys[uid] = hotkey;
    });
    return reset;
  }

  /** Every uid not in `queryable` gets score 0 (Omron `process_non_queryable_scores`). */
  zeroNonQueryable(queryable: Iterable<number>): void {
    const keep = new Set(queryable);
    for (let uid = 0; uid < this.#scores.length; uid++) if (!keep.has(uid)) this.#scores[uid] = 0;
  }

  /** Applies `updateScore` with the max score 1/size to one uid; returns its new score. */
  applyResponse(uid: number, response: ResponseOutcome, bounds: ResponseTimeBounds): number {
    const i = this.#uid(uid);
    const next = updateScore(this.#scores[i]!, response, bounds, this.size, this.#config);
    this.#scores[i] = next;
    return next;
  }

  toJSON(): ScoreBookJSON {
    return {
      format: SCORE_BOOK_FORMAT,
      version: SCORE_BOOK_FORMAT_VERSION,
      scoringVersion: this.#config.version,
      scores: this.scores(),
      hotkeys: [...this.#hotkeys],
    };
  }

  /**
   * Rebuilds a book from `toJSON()` output (an object or its JSON text). Throws `UNSUPPORTED_FORMAT_VERSION` for
   * another format or version, `INVALID_PERSISTED_STATE` for malformed content. Scores written under another
   * `scoringVersion` are loaded as they are; the caller decides whether to keep them.
   */
  static fromJSON(json: unknown, config: ScoringConfig = SCORING_CONFIG): ScoreBook {
    const data = parsePersisted(json);
    if (data.format !== SCORE_BOOK_FORMAT || data.version !== SCORE_BOOK_FORMAT_VERSION) {
      throw new ScoringError(
        'UNSUPPORTED_FORMAT_VERSION',
        `expected ${SCORE_BOOK_FORMAT} v${SCORE_BOOK_FORMAT_VERSION}, got ${String(data.format)} v${String(data.version)}`,
      );
    }
    const { scores, hotkeys } = data;
    const ok =
      Array.isArray(scores) &&
      Array.isArray(hotkeys) &&
      scores.length === hotkeys.length &&
      scores.length <= MAX_UIDS &&
      scores.every((s) => typeof s === 'number' && Number.isFinite(s) && s >= 0) &&
      hotkeys.every((h) => h === null || typeof h === 'string');
    if (!ok) {
      throw new ScoringError(
        'INVALID_PERSISTED_STATE',
        'score book: scores must be finite numbers ≥ 0 and hotkeys strings or null, of equal length',
      );
    }
    const book = new ScoreBook(0, config);
    book.#scores = [...(scores as number[])];
    book.#hotkeys = [...(hotkeys as (string | null)[])];
    return book;
  }

  #uid(uid: number): number {
    return requireInteger('uid', uid, 0, this.#scores.length - 1);
  }
}
