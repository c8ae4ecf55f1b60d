import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { minerConfigLoader } from 'miner';
import { validatorConfigLoader } from 'validator';
import { describe, expect, it } from 'vitest';

const SYSTEMD = resolve(import.meta.dirname, '..', 'systemd');
const loaders = { miner: minerConfigLoader, validator: validatorConfigLoader };

/** `KEY=value` lines of an EnvironmentFile, and the `# KEY=value` examples commented out in it. */
function envFile(path: string): { set: Record<string, string>; examples: string[] } {
  const set: Record<string, string> = {};
  const examples: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const active = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (active) set[active[1]!] = active[2]!;
    const example = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (example) examples.push(example[1]!);
  }
  return { set, examples };
}

/** The flags after `src/index.ts` on the unit's (backslash-continued) ExecStart line. */
function execStartFlags(path: string): string[] {
  const unit = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  const line = /^ExecStart=.*$/m.exec(unit)?.[0] ?? '';
  return line
    .split(/\s+/)
    .slice(line.split(/\s+/).indexOf('src/index.ts') + 1)
    .filter(Boolean);
}

describe.each(['miner', 'validator'] as const)('deploy/systemd omron-%s', (role) => {
  const loader = loaders[role];
  const known = new Set(Object.keys(loader.schema).flatMap((flag) => loader.envNames(flag)));

  it('names only variables the app reads, in the one OMRON_<FLAG> vocabulary', () => {
    const { set, examples } = envFile(join(SYSTEMD, `omron-${role}.env`));
    expect(Object.keys(set).length).toBeGreaterThan(0);
    for (const name of [...Object.keys(set), ...examples]) {
      if (name.startsWith('BT_PW_')) continue; // the hotkey password, read by the wallet loader
      expect(known.has(name), `${name} is read by the ${role}`).toBe(true);
      expect(name, `${name} is not a deprecated per-app name`).not.toMatch(/^OMRON_(MINER|VALIDATOR)_/);
    }
  });

  it('starts from its ExecStart flags plus its env file without a config error or warning', () => {
    const flags = execStartFlags(join(SYSTEMD, `omron-${role}.service`));
    expect(flags).toEqual(expect.arrayContaining(['--netuid', '--wallet.name', '--subtensor.network']));
    const result = loader.load(flags, envFile(join(SYSTEMD, `omron-${role}.env`)).set);
    if (result.help) throw new Error('unexpected help');
    expect(result.warnings).toEqual([]);
    expect(result.values).toMatchObject({ netuid: 2, 'subtensor.network': 'finney', 'log.level': 'info' });
  });
});
