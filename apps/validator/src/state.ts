import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@omron/core';
import { ResponseTimeStats, ScoreBook, ScoringError } from '@omron/scoring';
import { z } from 'zod';
import { ValidatorError } from './errors.js';
import { InputGuard } from './input-guard.js';

export const STATE_FORMAT = 'omron.validator-state';
export const STATE_FORMAT_VERSION = 1;
/** How many recent steps the state (and `/api/steps`) keeps. */
export const RECENT_STEPS = 200;

const minerStatsSchema = z.object({
  hotkey: z.string(),
  queries: z.number().int().nonnegative(),
  verified: z.number().int().nonnegative(),
  lastResponseTimeS: z.number().nullable(),
  lastError: z.string().nullable(),
  lastStep: z.number().int().nonnegative(),
});
export type MinerStats = z.infer<typeof minerStatsSchema>;

const responseSchema = z.object({
  uid: z.number().int().nonnegative(),
  verified: z.boolean(),
  responseTimeS: z.number().nullable(),
  reason: z.string().optional(),
});
export type StepResponse = z.infer<typeof responseSchema>;

const stepSchema = z.object({
  step: z.number().int().positive(),
  startedAt: z.number(),
  finishedAt: z.number(),
  block: z.number().int().nonnegative(),
  circuitId: z.string(),
  circuitName: z.string(),
  responses: z.array(responseSchema),
  /** The whole score vector after the step, by uid. */
  scores: z.array(z.number()),
});
export type StepRecord = z.infer<typeof stepSchema>;

const weightsSchema = z.object({
  block: z.number().int().nonnegative(),
  at: z.number(),
  uids: z.array(z.number().int()),
  weights: z.array(z.number().int()),
});
export type WeightsSnapshot = z.infer<typeof weightsSchema>;

const persistedSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.number().int(),
  step: z.number().int().nonnegative(),
  scores: z.unknown(),
  responseTimes: z.record(z.string(), z.unknown()),
  inputHashes: z.array(z.string()),
  miners: z.record(z.string(), minerStatsSchema),
  steps: z.array(stepSchema),
  weights: weightsSchema.nullable(),
});

/** Everything the validator must not lose across a restart. */
export interface ValidatorState {
  /** Number of completed steps; a step counts only once its results are saved. */
  step: number;
  book: ScoreBook;
  /** Response-time store per circuit id. */
  responseTimes: Map<string, ResponseTimeStats>;
  guard: InputGuard;
  miners: Map<number, MinerStats>;
  steps: StepRecord[];
  weights: WeightsSnapshot | null;
}

export function emptyState(): ValidatorState {
  return {
    step: 0,
    book: new ScoreBook(),
    responseTimes: new Map(),
    guard: new InputGuard(),
    miners: new Map(),
    steps: [],
    weights: null,
  };
}

export function serializeState(state: ValidatorState): string {
  return JSON.stringify({
    format: STATE_FORMAT,
    version: STATE_FORMAT_VERSION,
    step: state.step,
    scores: state.book.toJSON(),
    responseTimes: Object.fromEntries([...state.responseTimes].map(([id, stats]) => [id, stats.toJSON()])),
    inputHashes: state.guard.toJSON(),
    miners: Object.fromEntries(state.miners),
    steps: state.steps.slice(-RECENT_STEPS),
    weights: state.weights,
  });
}

/** Parses `serializeState` output; throws `STATE_CORRUPT` or `STATE_UNSUPPORTED` naming the problem. */
export function deserializeState(text: string, where = 'state'): ValidatorState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidatorError('STATE_CORRUPT', `${where} is not valid JSON`);
  }
  const parsed = persistedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidatorError('STATE_CORRUPT', `${where}: ${z.prettifyError(parsed.error)}`);
  }
  const data = parsed.data;
  if (data.version !== STATE_FORMAT_VERSION) {
    throw new ValidatorError(
      'STATE_UNSUPPORTED',
      `${where} has format version ${data.version}; this validator reads ${STATE_FORMAT_VERSION}`,
    );
  }
  try {
    return {
      step: data.step,
      book: ScoreBook.fromJSON(data.scores),
      responseTimes: new Map(
        Object.entries(data.responseTimes).map(([id, json]) => [id, ResponseTimeStats.fromJSON(json)]),
      ),
      guard: new InputGuard(undefined, data.inputHashes),
      miners: new Map(Object.entries(data.miners).map(([uid, stats]) => [Number(uid), stats])),
      steps: data.steps,
      weights: data.weights,
    };
  } catch (err) {
    if (err instanceof ScoringError) throw new ValidatorError('STATE_CORRUPT', `${where}: ${err.message}`);
    throw err;
  }
}

/**
 * The state file `<dir>/validator-state.json`, replaced atomically (write a temp file, fsync, rename, fsync the
 * directory): a crash at any point leaves either the old or the new state, never a torn one.
 */
export class StateStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'validator-state.json');
  }

  /** The saved state, or a fresh one when none exists yet. */
  async load(): Promise<ValidatorState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw err;
    }
    return deserializeState(text, this.file);
  }

  async save(state: ValidatorState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file, serializeState(state));
  }
}
