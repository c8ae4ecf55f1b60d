import { POOL_ERROR_CODES, PoolError, type PoolErrorCode } from './errors.js';

/** Key prefix and queue name in Redis: every miner and worker on one Redis share this queue. */
export const POOL_PREFIX = 'omron';
export const POOL_QUEUE = 'proofs';

/**
 * Stalled-job detection. A proof runs off the JS thread, so a live worker renews its lock every
 * `lockMs / 2` however long the proof takes (seconds to minutes); the lock only decides how soon a dead
 * worker's job is noticed: within `lockMs + stalledIntervalMs` it goes back to the queue for another worker.
 * 10 s + 5 s keeps that well inside a validator's timeout for short proofs while a GC pause or a busy
 * event loop (several seconds) cannot cost a live worker its job.
 */
export interface StallSettings {
  lockMs: number;
  stalledIntervalMs: number;
  /** Times a job may lose its worker before it fails for good (bounded attempts). */
  maxStalls: number;
}

export const DEFAULT_STALL: StallSettings = { lockMs: 10_000, stalledIntervalMs: 5_000, maxStalls: 2 };

/**
 * Length of the queue's event stream in Redis. Answers travel in its `completed` events (a proof is a few to
 * tens of KB), and BullMQ's default of 10 000 events could hold hundreds of MB; the miner reads events as they
 * come, so ~400 jobs' worth (about 5 events each) is plenty of slack.
 */
export const EVENTS_MAX_LEN = 2000;

/** Attempts per job when proving itself fails (a lost worker is counted by `maxStalls` instead). */
export const JOB_ATTEMPTS = 2;

/** A Redis URL or a `BAD_CONFIG` error naming the flag. */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PoolError('BAD_CONFIG', `--pool.redis must be a redis:// or rediss:// URL, got ${url}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new PoolError(
      'BAD_CONFIG',
      `--pool.redis must be a redis:// or rediss:// URL, got ${parsed.protocol}`,
    );
  }
  return url;
}

/** The URL with any password replaced, for logs and messages (secrets never reach logs). */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparseable URL)';
  }
}

/**
 * BullMQ priority (1 is served first) from a caller's stake (higher first). Logarithmic, so stakes from
 * 0 to 10^18 all fit BullMQ's range and keep their order; equal priorities stay first-in first-out.
 */
export function bullPriority(stake = 0): number {
  const s = Number.isFinite(stake) && stake > 0 ? stake : 0;
  return Math.max(1, 2_000_000 - Math.round(Math.log2(1 + s) * 30_000));
}

/** A worker's failure travels through Redis as `CODE: message`; this reads it back. */
export function failureFromReason(reason: string | undefined): PoolError {
  const text = reason ?? 'the job failed without a reason';
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(text);
  if (m && (POOL_ERROR_CODES as readonly string[]).includes(m[1]!)) {
    return new PoolError(m[1] as PoolErrorCode, m[2]!);
  }
  if (/stalled more than allowable limit/.test(text)) {
    return new PoolError('PROVE_FAILED', 'every worker that took this job stopped before finishing it');
  }
  return new PoolError('PROVE_FAILED', text);
}
