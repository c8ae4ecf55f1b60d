import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerified, sha256Hex, sidecarPath, writeVerified } from '../src/checked-file.js';

async function tempDir() {
  return mkdtemp(join(tmpdir(), 'omron-files-'));
}

describe('verified files', () => {
  it('round-trips bytes with a sha256sum-style sidecar and leaves no temp files', async () => {
    const dir = await tempDir();
    const path = join(dir, 'nested', 'vk.bin');
    const data = new Uint8Array([1, 2, 3, 250]);
    await writeVerified(path, data);
    const read = await readVerified(path);
    expect(read.status).toBe('ok');
    expect(read.status === 'ok' && [...read.data]).toEqual([1, 2, 3, 250]);
    expect(await readFile(sidecarPath(path), 'utf8')).toBe(`${sha256Hex(data)}  vk.bin\n`);
    expect((await readdir(join(dir, 'nested'))).sort()).toEqual(['vk.bin', 'vk.bin.sha256']);
  });

  it('reports a changed file as corrupt with both digests', async () => {
    const dir = await tempDir();
    const path = join(dir, 'pk.bin');
    await writeVerified(path, 'original');
    await writeFile(path, 'tampered');
    const read = await readVerified(path);
    expect(read).toEqual({
      status: 'corrupt',
      expected: sha256Hex('original'),
      actual: sha256Hex('tampered'),
    });
  });

  it('treats a file without its sidecar (an interrupted write) as missing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'half.bin'), 'x');
    expect(await readVerified(join(dir, 'half.bin'))).toEqual({ status: 'missing' });
    expect(await readVerified(join(dir, 'absent.bin'))).toEqual({ status: 'missing' });
  });
});
