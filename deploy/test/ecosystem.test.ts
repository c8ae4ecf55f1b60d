import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { loadConfig as loadMinerConfig } from 'miner';
import { loadConfig as loadValidatorConfig } from 'validator';
import { describe, expect, it } from 'vitest';
import { loadConfig as loadWorkerConfig } from 'worker';

interface Pm2App {
  name: string;
  cwd: string;
  script: string;
  interpreter: string;
  interpreter_args: string;
  args: string[];
  kill_timeout: number;
}

const ROOT = resolve(import.meta.dirname, '..', '..');
const ecosystem = createRequire(import.meta.url)(join(ROOT, 'ecosystem.config.cjs')) as { apps: Pm2App[] };
const byName = Object.fromEntries(ecosystem.apps.map((a) => [a.name, a]));

/** Starts an app the way pm2 does: `<interpreter> <interpreter_args> <script> <args>` in `cwd`. */
function startLikePm2(
  app: Pm2App,
  extra: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const interpreter = app.interpreter === 'node' ? process.execPath : app.interpreter;
    const child = spawn(
      interpreter,
      [...app.interpreter_args.split(' '), app.script, ...app.args, ...extra],
      {
        cwd: app.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('ecosystem.config.cjs (pm2)', () => {
  it('declares the miner and validator with the seed’s flags, and a pool worker', () => {
    expect(Object.keys(byName)).toEqual(['omron-miner', 'omron-validator', 'omron-worker']);
    for (const app of ecosystem.apps) {
      expect(existsSync(join(app.cwd, app.script)), `${app.name} script`).toBe(true);
      // pm2 must wait for in-flight proofs (the apps' default grace is 10 s).
      expect(app.kill_timeout).toBeGreaterThan(10_000);
      // The worker has no wallet or subnet of its own; it proves what the miner queues.
      if (app.name === 'omron-worker') continue;
      for (const flag of ['--netuid', '--wallet.name', '--wallet.hotkey', '--subtensor.network']) {
        expect(app.args, `${app.name} ${flag}`).toContain(flag);
      }
    }
  });

  it('gives each app flags its own config loader accepts', () => {
    const miner = loadMinerConfig(byName['omron-miner']!.args, {});
    expect(miner).not.toBe('help');
    expect(miner).toMatchObject({ netuid: 2, subtensor: { network: 'finney' }, axon: { port: 8091 } });
    const validator = loadValidatorConfig(byName['omron-validator']!.args, {});
    expect(validator).toMatchObject({ netuid: 2, subtensor: { network: 'finney' }, api: { port: 8100 } });
    const worker = loadWorkerConfig(byName['omron-worker']!.args, {});
    expect(worker).toMatchObject({
      pool: { redis: 'redis://127.0.0.1:6379' },
      subtensor: { network: 'finney' },
    });
  });

  for (const name of ['omron-miner', 'omron-validator', 'omron-worker']) {
    it(`stops ${name} with exit code 2 naming a mistyped flag`, async () => {
      // The worker has no wallet: its own flags are the ones to mistype.
      const [typo, meant] =
        name === 'omron-worker' ? ['--pool.rediss', '--pool.redis'] : ['--wallet.hotky', '--wallet.hotkey'];
      const { code, stderr } = await startLikePm2(byName[name]!, [typo, 'x']);
      expect(stderr).toContain(`UNKNOWN_FLAG: unknown flag ${typo} (did you mean ${meant}?)`);
      expect(code).toBe(2);
    }, 60_000);

    it(`starts ${name} from its entry with --help`, async () => {
      const app = byName[name]!;
      const { code, stdout, stderr } = await startLikePm2(app, ['--help']);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Usage: (miner|validator|worker) \[flags\]/);
      expect(stdout).toContain('--subtensor.network');
      expect(code).toBe(0);
    }, 60_000);
  }
});
