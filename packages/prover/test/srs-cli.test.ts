import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { developmentSrs } from '../src/index.js';
import { SRS_CACHE } from './fixtures.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), interactive: false };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('omron-prover srs check', () => {
  it('prints k, size and sha256 of each file, and refuses the development SRS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omron-srs-check-'));
    const bytes = await (await developmentSrs(5, { cacheDir: SRS_CACHE })).toBytes();
    writeFileSync(join(dir, 'kzg5.srs'), bytes);
    writeFileSync(join(dir, 'notes.txt'), 'not an SRS');
    const r = await cli('srs', 'check', dir, '--json');
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({
      k: 5,
      size: 4 + 2 * 32 * 64 + 256,
      status: 'insecure',
      recorded: null,
    });
    expect(report.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.code).toBe(3);
    const text = await cli('srs', 'check', dir, '--record');
    expect(text.stdout).toMatch(
      /^✘ kzg5\.srs {2}k=5 {2}4356 bytes {2}sha256 [0-9a-f]{64} {2}the INSECURE development SRS/,
    );
    // Only valid files get a recorded checksum.
    expect(() => readFileSync(join(dir, 'kzg5.srs.sha256'))).toThrow();
  });

  it('reports damaged points, a name that disagrees with the header, and a truncated file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omron-srs-bad-'));
    const bytes = Buffer.from(await (await developmentSrs(5, { cacheDir: SRS_CACHE })).toBytes());
    const damaged = Buffer.from(bytes);
    damaged[4 + 64 * 3 + 7]! ^= 0x5a; // a coordinate of the fourth G1 point
    writeFileSync(join(dir, 'kzg5.srs'), damaged);
    writeFileSync(join(dir, 'kzg6.srs'), bytes);
    writeFileSync(join(dir, 'kzg7.srs'), bytes.subarray(0, 2));
    const r = await cli('srs', 'check', dir, '--json');
    const byName = Object.fromEntries(
      JSON.parse(r.stdout).files.map((f: { file: string }) => [f.file.split('/').pop(), f]),
    );
    expect(byName['kzg5.srs']).toMatchObject({ status: 'invalid', k: 5 });
    expect(byName['kzg6.srs']).toMatchObject({ status: 'invalid', message: expect.stringContaining('k=5') });
    expect(byName['kzg7.srs']).toMatchObject({ status: 'invalid', k: -1 });
    expect(r.code).toBe(3);
  });

  it('exits 3 on a directory without SRS files, 5 on a missing one, 2 on misuse', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'omron-srs-empty-'));
    mkdirSync(join(empty, 'sub'));
    const none = await cli('srs', 'check', empty);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no kzg{k}.srs file');
    expect((await cli('srs', 'check', join(empty, 'missing'))).code).toBe(5);
    expect((await cli('srs', 'frob')).code).toBe(2);
    expect((await cli('srs', '--help')).stdout).toContain('omron-prover srs check DIR');
  });
});
