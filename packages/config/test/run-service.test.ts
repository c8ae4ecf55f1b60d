import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE } from '../src/errors.js';

const FIXTURE = join(import.meta.dirname, 'service-fixture.ts');
const TSX = createRequire(import.meta.url).resolve('tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture service as its own process; `signalOnStart` is sent once it printed its start line. */
function runFixture(args: string[], mode: string, signalOnStart?: NodeJS.Signals): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, FIXTURE, ...args], {
      env: { ...process.env, FIXTURE_MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (signalOnStart && stdout.includes('up with')) child.kill(signalOnStart);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('runService', () => {
  it('prints help and exits 0, dropping the `--` that `pnpm start --` passes', async () => {
    const run = await runFixture(['--', '--help'], 'ok');
    expect(run).toMatchObject({ code: 0, stdout: 'usage: svc [--help]\n' });
  });

  it('starts, prints its start line, and closes on SIGTERM with exit 0', async () => {
    const run = await runFixture(['--', '--a', '1'], 'ok', 'SIGTERM');
    expect(run.stdout).toBe('up with ["--a","1"]\nclosed\n');
    expect(run.code).toBe(0);
  });

  it('exits with the config exit code on an INVALID_CONFIG found while starting, naming the code', async () => {
    const run = await runFixture([], 'bad-config');
    expect(run.code).toBe(CONFIG_EXIT_CODE);
    expect(run.stderr).toBe('svc failed to start: INVALID_CONFIG: the TLS key file is missing\n');
  });

  it('exits 1 on any other failure, with its stack', async () => {
    const run = await runFixture([], 'crash');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^svc failed to start: Error: boom\n\s+at /);
  });
});
