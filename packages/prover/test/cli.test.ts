import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { MODELS, SRS_CACHE } from './fixtures.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), interactive: false },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

async function cli(...argv: string[]) {
  const c = capture();
  const code = await runCli(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('omron-prover CLI', () => {
  it('prints help for every verb and exits 2 on misuse', async () => {
    for (const verb of ['compile', 'calibrate', 'setup', 'prove', 'verify', 'bench']) {
      const r = await cli(verb, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`omron-prover ${verb}`);
    }
    expect((await cli('--help')).code).toBe(0);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('prove', '--model', 'x.onnx')).code).toBe(2);
    expect((await cli('compile', '--bogus')).code).toBe(2);
  });

  it('passes the layout flags to the compiler and refuses bad values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omron-cli-'));
    const model = join(MODELS, 'cnn.onnx');
    const columns = async (...flags: string[]) => {
      const out = join(dir, `${flags.join('_') || 'default'}.json`);
      const r = await cli('compile', '--model', model, '--out', out, ...flags);
      expect(r.code).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')).columns as { phase2: number; act_groups: number };
    };
    expect((await columns()).phase2).toBe(3);
    expect((await columns('--challenge-checks', 'off')).phase2).toBe(0);
    expect((await columns('--act-groups', '2')).act_groups).toBe(2);
    expect((await cli('compile', '--model', model, '--challenge-checks', 'maybe')).code).toBe(2);
    expect((await cli('compile', '--model', model, '--act-groups', '0')).code).toBe(2);
  });

  it('compiles, sets up, proves and verifies through files, with --json and meaningful exit codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omron-cli-'));
    const model = join(MODELS, 'mlp.onnx');
    const at = (name: string) => join(dir, name);
    const srs = ['--dev-srs', '--srs-cache', SRS_CACHE];

    const compiled = await cli('compile', '--model', model, '--out', at('settings.json'), '--json');
    expect(compiled.code).toBe(0);
    expect(JSON.parse(compiled.stdout).inputShapes).toEqual([[1, 784]]);

    expect((await cli('setup', '--model', model, ...srs, '--pk', at('pk'), '--vk', at('vk'))).code).toBe(0);

    const input = Array.from({ length: 784 }, (_, i) => Math.cos(i) / 3);
    writeFileSync(at('input.json'), JSON.stringify({ input_data: [input] }));
    const args = ['--model', model, ...srs, '--pk', at('pk'), '--input', at('input.json')];
    const proved = await cli(
      'prove',
      ...args,
      '--proof',
      at('proof'),
      '--public',
      at('public.json'),
      '--json',
    );
    expect(proved.code).toBe(0);
    expect(JSON.parse(proved.stdout).outputs[0]).toHaveLength(10);

    const verifyArgs = ['--settings', at('settings.json'), '--vk', at('vk'), ...srs, '--proof', at('proof')];
    const ok = await cli(
      'verify',
      ...verifyArgs,
      '--public',
      at('public.json'),
      '--input',
      at('input.json'),
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).valid).toBe(true);

    const pub = JSON.parse(readFileSync(at('public.json'), 'utf8'));
    // A file of an older version, with JSON numbers, still verifies.
    const numbers = {
      inputs: pub.inputs.map((r: string[]) => r.map(Number)),
      outputs: pub.outputs.map((r: string[]) => r.map(Number)),
    };
    writeFileSync(at('numbers.json'), JSON.stringify(numbers));
    expect((await cli('verify', ...verifyArgs, '--public', at('numbers.json'))).code).toBe(0);
    pub.outputs[0][0] = String(BigInt(pub.outputs[0][0]) + 1n);
    writeFileSync(at('forged.json'), JSON.stringify(pub));
    expect((await cli('verify', ...verifyArgs, '--public', at('forged.json'))).code).toBe(1);

    writeFileSync(at('short.json'), JSON.stringify([[0.1, 0.2]]));
    const bad = await cli(
      'prove',
      ...args.slice(0, -2),
      '--input',
      at('short.json'),
      '--proof',
      at('p2'),
      '--json',
    );
    expect(bad.code).toBe(3);
    expect(JSON.parse(bad.stdout).error.code).toBe('SHAPE_MISMATCH');

    writeFileSync(at('samples.json'), JSON.stringify([[input], [input.map(() => 1e6)]]));
    const calibrated = await cli('calibrate', '--model', model, '--samples', at('samples.json'), '--json');
    expect(calibrated.code).toBe(3);
    expect(JSON.parse(calibrated.stdout).error.code).toBe('INPUT_OUT_OF_RANGE');

    const missing = await cli(
      'verify',
      ...verifyArgs.slice(0, 2),
      '--vk',
      at('nope'),
      ...srs,
      '--proof',
      at('proof'),
      '--public',
      at('public.json'),
    );
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('IO_ERROR');
  });

  it('calibrates from generated or file samples and writes options that compile to the same circuit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omron-cli-cal-'));
    const at = (name: string) => join(dir, name);
    const model = join(MODELS, 'sigmoid_tanh.onnx');
    const out = ['--out', at('options.json'), '--settings', at('settings.json')];
    const uniform = await cli(
      'calibrate',
      '--model',
      model,
      '--uniform=-2,2',
      '--count',
      '12',
      ...out,
      '--json',
    );
    expect(uniform.code).toBe(0);
    const summary = JSON.parse(uniform.stdout);
    expect(summary.k).toBeLessThanOrEqual(summary.uncalibratedK);
    expect(summary.options.calibration.samples).toBe(12);
    const options = JSON.parse(readFileSync(at('options.json'), 'utf8'));
    expect(options).toEqual(summary.options);
    const settings = JSON.parse(readFileSync(at('settings.json'), 'utf8'));
    expect(settings.calibration.samples).toBe(12);
    expect(settings.model_hash).toBe(summary.modelHash);

    const compiled = await cli('compile', '--model', model, '--options', at('options.json'), '--json');
    expect(compiled.code).toBe(0);
    expect(JSON.parse(compiled.stdout)).toMatchObject({ modelHash: summary.modelHash, k: summary.k });

    const sample = Array.from({ length: 16 }, (_, i) => Math.sin(i));
    writeFileSync(at('samples.json'), JSON.stringify([[sample], [sample.map((x) => -x)]]));
    const fromFile = await cli('calibrate', '--model', model, '--samples', at('samples.json'));
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('calibrated on 2 samples');

    expect((await cli('calibrate', '--model', model)).code).toBe(2);
    expect((await cli('calibrate', '--model', model, '--uniform', '2,1', '--count', '3')).code).toBe(2);
    const loose = await cli(
      'calibrate',
      '--model',
      model,
      '--samples',
      at('samples.json'),
      '--margin',
      '0.5',
    );
    expect(loose.code).toBe(3);
    expect(loose.stderr).toContain('BAD_SETTINGS');
  });
});
