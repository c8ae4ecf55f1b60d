import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@omron/core';
import { z } from 'zod';
import { ChainError } from '../errors.js';

const revealSchema = z.object({
  /** The commit hash (BlakeTwo256 of the reveal): identifies the commit on chain. */
  hash: z.string().regex(/^0x[0-9a-f]{64}$/),
  network: z.string(),
  netuid: z.number().int(),
  mechid: z.number().int(),
  /** SS58 hotkey that committed and must reveal. */
  hotkey: z.string(),
  uids: z.array(z.number().int()),
  weights: z.array(z.number().int()),
  salt: z.array(z.number().int()),
  versionKey: z.number().int(),
  /** Written before the commit is submitted, so null until its inclusion is known. */
  commitBlock: z.number().int().nullable(),
  /** The epoch the reveal must land in (the chain's epoch counting); null until the commit is included. */
  revealEpoch: z.number().int().nullable(),
  savedAtMs: z.number(),
});

const fileSchema = z.object({ version: z.literal(1), reveals: z.array(revealSchema) });

export type PendingReveal = z.infer<typeof revealSchema>;

/**
 * The CRv2 reveals a validator still owes, on disk: written atomically (temp file, fsync, rename) before each
 * commit is submitted and updated as it lands, so a restart between commit and reveal still reveals. One
 * process owns a file; writes within it are serialised.
 */
export class PendingRevealStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  async list(): Promise<PendingReveal[]> {
    await this.queue.catch(() => undefined);
    return this.read();
  }

  /** Inserts or replaces the reveal with the same hash. */
  put(reveal: PendingReveal): Promise<void> {
    return this.mutate((reveals) => [...reveals.filter((r) => r.hash !== reveal.hash), reveal]);
  }

  remove(hash: string): Promise<void> {
    return this.mutate((reveals) => reveals.filter((r) => r.hash !== hash));
  }

  private mutate(fn: (reveals: PendingReveal[]) => PendingReveal[]): Promise<void> {
    const next = this.queue.then(async () => {
      const reveals = fn(await this.read());
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, reveals }, null, 1)}\n`);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<PendingReveal[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ChainError('STATE_CORRUPT', `pending reveals ${this.path} is not JSON`, undefined, {
        cause: error,
      });
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      throw new ChainError('STATE_CORRUPT', `pending reveals ${this.path}: ${parsed.error.message}`);
    }
    return parsed.data.reveals;
  }
}
