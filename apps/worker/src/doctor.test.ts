import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport } from '@omron/doctor';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@omron/pool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Runs `worker doctor` as an operator would (`pnpm --filter worker run doctor -- …` runs this same file). */
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

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const missing = redisServerAvailable();
if (missing) console.warn(`skipping the worker doctor test against a real Redis: ${missing}`);

let dir: string;
let redis: RedisServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-worker-doctor-'));
  if (!missing) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('worker doctor', () => {
  const flags = () => ['--cache.dir', join(dir, 'cache'), '--circuits', 'cnn'];

  it('fails the redis check on a closed port, with a fix and exit code 1', async () => {
    const url = `redis://:s3cret@127.0.0.1:${await closedPort()}`;
    const { code, stdout } = await doctor(['--', ...flags(), '--pool.redis', url, '--json']);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.role).toBe('worker');
    expect(report.checks.map((c) => c.id)).toEqual(['srs', 'keys', 'redis']);
    expect(report.checks.find((c) => c.id === 'redis')).toMatchObject({ status: 'fail' });
    expect(report.checks.find((c) => c.id === 'redis')?.fix).toContain('redis-server');
    expect(stdout).not.toContain('s3cret');
    expect(code).toBe(1);
  }, 120_000);

  it.skipIf(missing !== undefined)(
    'passes against a real redis-server on the local network',
    async () => {
      const { code, stdout } = await doctor(['--', ...flags(), '--pool.redis', redis!.url]);
      expect(stdout).toContain('omron doctor: worker on local\n');
      expect(stdout).toMatch(/✔ .*PONG/);
      expect(code).toBe(0);
    },
    120_000,
  );

  it('refuses a start without --pool.redis as a bad flag (exit 2)', async () => {
    const { code, stderr } = await doctor(['--', ...flags()]);
    expect(stderr).toMatch(/INVALID_CONFIG: [\s\S]*--pool\.redis/);
    expect(code).toBe(2);
  });
});
