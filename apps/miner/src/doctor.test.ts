import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport } from '@omron/doctor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Runs `miner doctor` as an operator would (`pnpm --filter miner run doctor -- …` runs this same file). */
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-miner-doctor-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('miner doctor', () => {
  const local = () => [
    '--localnet.dir',
    join(dir, 'localnet'),
    '--cache.dir',
    join(dir, 'cache'),
    '--circuits',
    'cnn',
  ];

  it('exits 0 with ✔ lines on a fresh local network', async () => {
    const { code, stdout } = await doctor(['--', ...local(), '--axon.port', String(await freePort())]);
    expect(stdout).toContain('✔ chain endpoint: embedded local network');
    expect(stdout).toContain('miner is ready to start');
    expect(code).toBe(0);
  }, 120_000);

  it('exits 1 with a JSON report when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    try {
      const { code, stdout } = await doctor([...local(), '--axon.port', String(port), '--json']);
      const report = JSON.parse(stdout) as DoctorReport;
      expect(report.ok).toBe(false);
      expect(report.checks.find((c) => c.id === 'port')).toMatchObject({ status: 'fail' });
      expect(code).toBe(1);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  }, 120_000);

  it('exits 1 against a stopped chain endpoint and a missing SRS, naming the fixes', async () => {
    const { code, stdout } = await doctor([
      '--subtensor.network',
      `ws://127.0.0.1:${await freePort()}`,
      '--wallet.path',
      join(dir, 'wallets'),
      '--axon.external_ip',
      '203.0.113.5',
      '--srs.dir',
      join(dir, 'srs'),
      '--cache.dir',
      join(dir, 'cache'),
      '--circuits',
      'cnn',
    ]);
    expect(stdout).toMatch(/✘ wallet: .*\n {4}fix: create it \(btcli wallet new-coldkey/);
    expect(stdout).toMatch(/✘ chain endpoint: ws:\/\/127\.0\.0\.1:\d+: cannot connect \(ECONNREFUSED\)/);
    expect(stdout).toContain(`no kzg13.srs (or larger kzg{j}.srs) for k=13 (--srs.dir ${join(dir, 'srs')})`);
    expect(stdout).toContain('miner is NOT ready');
    expect(code).toBe(1);
  }, 120_000);

  it('fails on TLS files the axon could not load', async () => {
    const missing = join(dir, 'no-cert.pem');
    const { code, stdout } = await doctor([
      ...local(),
      '--axon.port',
      '0',
      '--axon.tls_cert',
      missing,
      '--axon.tls_key',
      join(dir, 'no-key.pem'),
    ]);
    expect(stdout).toContain(`✘ axon TLS: cannot read the TLS certificate ${missing}`);
    expect(stdout).toContain('openssl req -x509 -newkey ed25519');
    expect(code).toBe(1);
  }, 120_000);

  it('exits 2 on a bad flag, as start does', async () => {
    const { code, stderr } = await doctor(['--no-such-flag']);
    expect(stderr).toContain('UNKNOWN_FLAG');
    expect(code).toBe(2);
  }, 60_000);
});
