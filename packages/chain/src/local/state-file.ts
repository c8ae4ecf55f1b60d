import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@omron/core';
import { u8aToHex } from '@polkadot/util';
import { ChainError } from '../errors.js';
import { DevelopmentBeacon } from '../timelock/development-beacon.js';
import { withFileLock } from './file-lock.js';
import { emptyState, type LocalState, localStateSchema } from './state.js';

/**
 * The localnet's single state file (`<dir>/state.json`). Reads need no lock (writes are atomic renames);
 * every read-modify-write runs under the cross-process lock, so concurrent processes lose nothing.
 */
export class StateFile {
  readonly path: string;
  readonly lockPath: string;

  constructor(readonly dir: string) {
    this.path = join(dir, 'state.json');
    this.lockPath = join(dir, 'state.lock');
  }

  /** Creates the directory and the state if missing; re-anchors the clock if `blockTimeMs` changed. */
  async init(blockTimeMs: number | undefined, defaultBlockTimeMs: number): Promise<LocalState> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const { state } = await this.update((state) => {
      state.developmentBeacon ??= {
        secretKey: u8aToHex(DevelopmentBeacon.generateSecretKey()),
        warning: 'DEVELOPMENT ONLY: local stand-in for drand; this key protects nothing',
      };
      if (blockTimeMs === undefined || blockTimeMs === state.blockTimeMs) return;
      // Keep the current block number continuous across the change of pace.
      const now = Date.now();
      const block = Math.floor((now - state.genesisMs) / state.blockTimeMs);
      state.blockTimeMs = blockTimeMs;
      state.genesisMs = now - block * blockTimeMs;
    }, blockTimeMs ?? defaultBlockTimeMs);
    return state;
  }

  async read(): Promise<LocalState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ChainError('STATE_CORRUPT', `no localnet state at ${this.path}`);
      }
      throw error;
    }
    return parseState(text, this.path);
  }

  /** Runs `mutate` on the freshest state under the lock and writes the result atomically. */
  async update<T>(
    mutate: (state: LocalState) => T,
    blockTimeMsIfNew = 12_000,
  ): Promise<{ state: LocalState; result: T }> {
    return withFileLock(this.lockPath, async () => {
      let state: LocalState;
      try {
        state = parseState(await readFile(this.path, 'utf8'), this.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Block 1 at creation: block 0 would read as "never" in LastUpdate-style fields.
        state = emptyState(Date.now() - blockTimeMsIfNew, blockTimeMsIfNew);
      }
      const result = mutate(state);
      await writeFileAtomic(this.path, `${JSON.stringify(state)}\n`);
      return { state, result };
    });
  }
}

function parseState(text: string, path: string): LocalState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ChainError('STATE_CORRUPT', `localnet state ${path} is not JSON`, undefined, { cause: error });
  }
  const parsed = localStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new ChainError(
      'STATE_CORRUPT',
      `localnet state ${path} does not match version 1: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
