import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS, SRS_CACHE } from './fixtures.js';

const PACKAGE = new URL('..', import.meta.url).pathname;

// What another project sees: the packed tarball installed by npm outside the workspace.
const CONSUMER = `
import { readFileSync } from 'node:fs';
import { compileModel, developmentSrs, Prover, setup, Verifier } from '@omron/prover';
const model = await compileModel(readFileSync(process.argv[2]));
const srs = await developmentSrs(model.settings.k, { cacheDir: process.argv[3] });
const { provingKey, verifyingKey } = await setup(model, srs);
const prover = await Prover.create(model, provingKey, srs);
const result = await prover.prove([new Array(784).fill(0.25)]);
const valid = await Verifier.create(verifyingKey, model.settings, srs).verify(result.proof, result.publicInputs);
console.log(JSON.stringify({ valid, outputs: result.outputs[0].length }));
`;

describe('pnpm pack', () => {
  it('installs into a fresh project outside the workspace and proves and verifies there', () => {
    execFileSync('pnpm', ['run', 'build:ts'], { cwd: PACKAGE, stdio: 'pipe' });
    const work = mkdtempSync(join(tmpdir(), 'omron-pack-'));
    execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: PACKAGE, stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', join(work, tarball ?? '')], {
      cwd: app,
      stdio: 'pipe',
    });
    writeFileSync(join(app, 'main.mjs'), CONSUMER);
    const out = execFileSync('node', ['main.mjs', join(MODELS, 'mlp.onnx'), SRS_CACHE], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toEqual({ valid: true, outputs: 10 });
    const help = execFileSync(join(app, 'node_modules', '.bin', 'omron-prover'), ['--help'], {
      encoding: 'utf8',
    });
    expect(help).toContain('omron-prover <verb>');
  }, 180_000);
});
