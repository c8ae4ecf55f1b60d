import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('creates parents, replaces the old contents and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omron-core-'));
    const path = join(dir, 'a', 'b', 'state.json');
    await writeFileAtomic(path, '{"v":1}');
    await writeFileAtomic(path, new Uint8Array([123, 125]));
    expect(await readFile(path, 'utf8')).toBe('{}');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['state.json']);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('gives a new file the mode asked for, less the umask (keys other processes read)', async () => {
    if (process.platform === 'win32') return;
    const dir = await mkdtemp(join(tmpdir(), 'omron-core-'));
    const path = join(dir, 'vk.bin');
    await writeFileAtomic(path, new Uint8Array([1]), { mode: 0o666 });
    const umask = process.umask();
    expect((await stat(path)).mode & 0o777).toBe(0o666 & ~umask);
  });

  it('keeps the old file and removes the temp file when the write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omron-core-'));
    const path = join(dir, 'keep.txt');
    await writeFile(path, 'old');
    // A directory in place of the target makes the rename fail after the temp file was written.
    const blocked = join(dir, 'blocked');
    await writeFileAtomic(join(blocked, 'x'), 'x');
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'keep.txt']);
  });
});
