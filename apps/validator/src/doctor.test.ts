import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport } from '@omron/doctor';
import { afterAll, beforeAll, expect, it } from 'vitest';

function doctor(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/doctor.ts', ...args],
      { cwd: join(import.meta.dirname, '..'), timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-validator-doctor-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('checks a validator on the local network and reports JSON', async () => {
  const { code, stdout } = await doctor([
    '--localnet.dir',
    join(dir, 'localnet'),
    '--cache.dir',
    join(dir, 'cache'),
    '--circuits',
    'cnn',
    '--api.port',
    '0',
    '--json',
  ]);
  const report = JSON.parse(stdout) as DoctorReport;
  expect(report.role).toBe('validator');
  expect(report.checks.map((c) => c.id)).toEqual([
    'wallet',
    'chain',
    'registration',
    'stake',
    'port',
    'srs',
    'keys',
    'clock',
  ]);
  expect(report.ok).toBe(true);
  expect(code).toBe(0);
}, 120_000);

it('fails off the local network without a registered wallet or reachable chain', async () => {
  const { code, stdout } = await doctor([
    '--subtensor.network',
    'test',
    '--subtensor.chain_endpoint',
    'ws://127.0.0.1:9',
    '--wallet.path',
    join(dir, 'none'),
    '--cache.dir',
    join(dir, 'cache'),
    '--circuits',
    'cnn',
  ]);
  expect(stdout).toContain('✘ wallet');
  expect(stdout).toContain('✘ chain endpoint: ws://127.0.0.1:9: cannot connect');
  expect(stdout).toContain('✘ SRS files');
  expect(code).toBe(1);
}, 120_000);
