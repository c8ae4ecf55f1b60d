import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@omron/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock.js';
import { StateFile } from './state-file.js';

describe('file lock and atomic state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omron-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serialises concurrent critical sections', async () => {
    const lock = join(dir, 'x.lock');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 1));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });

  it('recovers a lock left by a dead process', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, '999999999\n'); // no such pid
    expect(await withFileLock(lock, async () => 'ran', 500)).toBe('ran');
  });

  it('recovers an old lock even when its pid looks alive, and times out on a fresh one', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, `${process.pid}\n`);
    await expect(withFileLock(lock, async () => 'ran', 100)).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', 100)).toBe('ran');
  });

  it('replaces files atomically and leaves no temp files', async () => {
    const path = join(dir, 'f.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  it('refuses a corrupt or foreign-version state with STATE_CORRUPT, and writes nothing when a mutation throws', async () => {
    const file = new StateFile(dir);
    await file.init(50, 12_000);
    const before = await readFile(file.path, 'utf8');
    await expect(
      file.update(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readFile(file.path, 'utf8')).toBe(before);
    await writeFile(file.path, '{"version": 99}');
    await expect(file.read()).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
    await writeFile(file.path, '{not json');
    await expect(file.read()).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
  });
});
