import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { MODELS, SRS_CACHE } from './fixtures.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    interactive: false,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('omron-prover CLI with --slices', () => {
  it('compiles, sets up, proves a chain and verifies it with the single-proof flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omron-slices-cli-'));
    const at = (name: string) => join(dir, name);
    const model = ['--model', join(MODELS, 'cnn.onnx'), '--slices', '3'];
    const srs = ['--dev-srs', '--srs-cache', SRS_CACHE];

    const compiled = await cli('compile', ...model, '--out', at('settings.json'), '--json');
    expect(compiled.code).toBe(0);
    const summary = JSON.parse(compiled.stdout);
    expect(summary.slices).toHaveLength(3);
    expect(summary.boundaries).toHaveLength(2);
    expect(JSON.parse(readFileSync(at('settings.json'), 'utf8'))).toHaveLength(3);

    const setup = await cli('setup', ...model, ...srs, '--pk', at('pk'), '--vk', at('vk'), '--json');
    expect(setup.code).toBe(0);

    const input = Array.from({ length: 64 }, (_, i) => Math.sin(i) / 2);
    writeFileSync(at('input.json'), JSON.stringify([input]));
    const proved = await cli(
      'prove',
      ...model,
      ...srs,
      '--pk',
      at('pk'),
      '--input',
      at('input.json'),
      '--proof',
      at('chain.json'),
      '--public',
      at('public.json'),
      '--json',
    );
    expect(proved.code).toBe(0);
    expect(JSON.parse(proved.stdout).slices).toBe(3);

    const verify = [
      'verify',
      '--settings',
      at('settings.json'),
      '--vk',
      at('vk'),
      ...srs,
      '--proof',
      at('chain.json'),
    ];
    const ok = await cli(...verify, '--public', at('public.json'), '--input', at('input.json'), '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).valid).toBe(true);

    // Another input than the chain was proved for: invalid (exit 1).
    writeFileSync(at('other.json'), JSON.stringify([input.map((x) => -x)]));
    const other = await cli(...verify, '--public', at('public.json'), '--input', at('other.json'));
    expect(other.code).toBe(1);

    // Claimed outputs changed: invalid.
    const claim = JSON.parse(readFileSync(at('public.json'), 'utf8'));
    claim.outputs[0][0] = String(BigInt(claim.outputs[0][0]) + 1n);
    writeFileSync(at('forged.json'), JSON.stringify(claim));
    expect((await cli(...verify, '--public', at('forged.json'))).code).toBe(1);

    // A chain file with a slice dropped: invalid.
    const chain = JSON.parse(readFileSync(at('chain.json'), 'utf8'));
    chain.slices.splice(1, 1);
    writeFileSync(at('dropped.json'), JSON.stringify(chain));
    const dropped = [
      'verify',
      '--settings',
      at('settings.json'),
      '--vk',
      at('vk'),
      ...srs,
      '--proof',
      at('dropped.json'),
    ];
    expect((await cli(...dropped, '--public', at('public.json'))).code).toBe(1);

    // --slices and --slice-rows together are a usage error.
    expect((await cli('compile', ...model, '--slice-rows', '100')).code).toBe(2);
  }, 600_000);
});
