import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentSrs, developmentSrsPath, readVerified, type SrsCacheEvent } from '../src/index.js';

describe('development SRS cache', () => {
  it('generates once with a checksum sidecar, then loads; a damaged file is regenerated, never used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omron-srs-cache-'));
    const events: SrsCacheEvent['outcome'][] = [];
    const onCache = (e: SrsCacheEvent) => events.push(e.outcome);

    const first = await developmentSrs(5, { cacheDir: dir, onCache });
    expect(events).toEqual(['generating']);
    expect((await readdir(dir)).sort()).toEqual(['kzg5.insecure-dev.srs', 'kzg5.insecure-dev.srs.sha256']);
    expect((await readVerified(developmentSrsPath(dir, 5))).status).toBe('ok');

    const again = await developmentSrs(5, { cacheDir: dir, onCache });
    expect(events).toEqual(['generating', 'hit']);
    expect(Buffer.from(await again.toBytes()).equals(Buffer.from(await first.toBytes()))).toBe(true);

    await writeFile(developmentSrsPath(dir, 5), 'damaged');
    const rebuilt = await developmentSrs(5, { cacheDir: dir, onCache });
    expect(events).toEqual(['generating', 'hit', 'corrupt', 'generating']);
    expect(rebuilt.k).toBe(5);
    expect((await readVerified(developmentSrsPath(dir, 5))).status).toBe('ok');
  });
});
