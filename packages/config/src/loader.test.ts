import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_EXIT_CODE, ConfigError } from './errors.js';
import { COMMON_OPTIONS, isLocalNetwork } from './groups.js';
import { defineConfig } from './loader.js';
import { group, opt } from './option.js';

const demo = defineConfig({
  app: 'demo',
  schema: {
    ...COMMON_OPTIONS,
    ...group('Server', {
      'server.port': opt.int({
        help: 'port to listen on',
        min: 0,
        max: 65_535,
        default: 8000,
        env: ['BT_AXON_PORT'],
      }),
      'server.tls': opt.boolean({ help: 'serve HTTPS', aliases: ['enable-tls'] }),
      'server.redis': opt.url({ help: 'Redis URL', protocols: ['redis', 'rediss'], secret: true }),
      'server.token': opt.custom(z.string().regex(/^[a-f0-9]{8}$/), { help: 'API token', secret: true }),
    }),
  },
  legacyEnvPrefixes: ['OMRON_DEMO_'],
  check: (v) =>
    v['server.tls'] && isLocalNetwork(v) ? [{ flag: 'server.tls', message: 'TLS is for real networks' }] : [],
});

function load(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const result = demo.load(argv, env);
  if (result.help) throw new Error('unexpected help');
  return result;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('defineConfig', () => {
  it('gives every default with no source, with ~ already expanded', () => {
    const { values, warnings } = load([]);
    expect(values).toMatchObject({
      netuid: 2,
      'wallet.name': undefined,
      'wallet.hotkey': 'default',
      'subtensor.network': 'local',
      'localnet.dir': join(homedir(), '.omron', 'localnet'),
      'cache.dir': join(homedir(), '.omron', 'cache'),
      'log.level': 'info',
      'server.port': 8000,
      'server.tls': false,
      'server.redis': undefined,
    });
    expect(warnings).toEqual([]);
  });

  it('layers flags over env vars over the config file over defaults', async () => {
    const file = join(dir, 'layers.json');
    await writeFile(
      file,
      JSON.stringify({
        netuid: 3,
        wallet: { name: 'file', hotkey: 'file' },
        'log.level': 'warn',
        circuits: ['a'],
      }),
    );
    const { values } = load(['--netuid', '5', '--config', file], {
      OMRON_WALLET_HOTKEY: 'env',
      OMRON_NETUID: '4',
    });
    expect(values.netuid).toBe(5); // flag > env > file
    expect(values['wallet.hotkey']).toBe('env'); // env > file
    expect(values['wallet.name']).toBe('file'); // file > default
    expect(values['log.level']).toBe('warn');
    expect(values.circuits).toEqual(['a']);
    // OMRON_CONFIG names the file when --config does not; the old per-app name still works, with a warning.
    expect(load([], { OMRON_CONFIG: file }).values.netuid).toBe(3);
    const legacy = load([], { OMRON_DEMO_CONFIG: file });
    expect(legacy.values.netuid).toBe(3);
    expect(legacy.warnings).toEqual(['OMRON_DEMO_CONFIG is deprecated; use OMRON_CONFIG']);
  });

  it('reads OMRON_*, then the deprecated app prefix, then BT_*; warns without printing values', () => {
    expect(load([], { BT_WALLET_NAME: 'bt' }).values['wallet.name']).toBe('bt');
    const both = load([], { OMRON_WALLET_NAME: 'new', BT_WALLET_NAME: 'bt', OMRON_DEMO_WALLET_NAME: 'old' });
    expect(both.values['wallet.name']).toBe('new');
    expect(both.warnings).toEqual([
      'OMRON_WALLET_NAME overrides OMRON_DEMO_WALLET_NAME, BT_WALLET_NAME (they differ)',
    ]);
    const legacy = load([], { OMRON_DEMO_SERVER_PORT: '9001', BT_AXON_PORT: '9002' });
    expect(legacy.values['server.port']).toBe(9001);
    expect(legacy.warnings[0]).toBe('OMRON_DEMO_SERVER_PORT is deprecated; use OMRON_SERVER_PORT');
    expect(load([], { BT_AXON_PORT: '9002', OMRON_SERVER_PORT: '' }).values['server.port']).toBe(9002);
    expect(demo.envNames('server.tls')).toEqual([
      'OMRON_SERVER_TLS',
      'OMRON_DEMO_SERVER_TLS',
      'OMRON_DEMO_ENABLE_TLS',
    ]);
  });

  it('takes both flag spellings, switches alone or with a value, and deprecated aliases', () => {
    const on = load(['--netuid=7', '--subtensor.network', 'finney', '--server.tls', '--wallet.name=x']);
    // `--server.tls` on the local network breaks the schema's own rule, so the rest run on testnet.
    expect(on.values).toMatchObject({
      netuid: 7,
      'subtensor.network': 'finney',
      'server.tls': true,
      'wallet.name': 'x',
    });
    expect(load(['--server.tls', 'false', '--netuid', '3']).values['server.tls']).toBe(false);
    expect(load(['--server.tls=0']).values['server.tls']).toBe(false);
    const test = { OMRON_SUBTENSOR_NETWORK: 'test' };
    expect(load([], { ...test, OMRON_SERVER_TLS: 'yes' }).values['server.tls']).toBe(true);
    const alias = load(['--', '--enable-tls', '--subtensor.network', 'test']);
    expect(alias.values['server.tls']).toBe(true);
    expect(alias.warnings).toEqual(['--enable-tls is deprecated; use --server.tls']);
  });

  it('reports every bad value by flag and source, and cross-option rules', () => {
    const err = errorOf(() =>
      load(
        [
          '--netuid',
          '0',
          '--server.port',
          'http',
          '--log.level',
          'loud',
          '--subtensor.chain_endpoint',
          'http://x',
        ],
        {
          OMRON_CACHE_DIR: '  ',
        },
      ),
    );
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(/^invalid demo configuration:/);
    expect(err.message).toContain('--netuid: must be ≥ 1'); // 0 is the root network
    expect(err.message).toContain('--server.port: must be an integer');
    expect(err.message).toContain('--log.level: must be one of fatal | error');
    expect(err.message).toContain('--subtensor.chain_endpoint: must be a ws:// or wss:// URL');
    expect(err.message).toContain('--cache.dir: must not be empty (env OMRON_CACHE_DIR)');
    expect(err.issues.map((i) => i.flag)).toEqual([
      'netuid',
      'subtensor.chain_endpoint',
      'cache.dir',
      'log.level',
      'server.port',
    ]);
    const rule = errorOf(() => load(['--server.tls']));
    expect(rule.message).toContain('--server.tls: TLS is for real networks');
    expect(errorOf(() => load(['--netuid'])).message).toContain('--netuid needs a value');
    expect(errorOf(() => load(['--netuid', '--server.tls'])).message).toContain('--netuid needs a value');
  });

  it('names an unknown flag (never its value), suggests the closest and lists the known ones', () => {
    const err = errorOf(() => load(['--wallet.nmae=hunter2']));
    expect(err.code).toBe('UNKNOWN_FLAG');
    expect(err.message).toMatch(/^unknown flag --wallet\.nmae \(did you mean --wallet\.name\?\)/);
    expect(err.message).toContain('Usage: demo [flags]');
    expect(err.message).toContain('--server.port');
    expect(err.message).not.toContain('hunter2');
    expect(errorOf(() => load(['--zzzzzzzz'])).message).not.toContain('did you mean');
    const positional = errorOf(() => load(['--netuid', '2', 'hunter2']));
    expect(positional.code).toBe('UNKNOWN_FLAG');
    expect(positional.message).toMatch(/^unexpected argument 3 \(not a --flag\)/);
    expect(positional.message).not.toContain('hunter2');
  });

  it('never prints a secret: not in errors, not as a default in --help', () => {
    const bad = errorOf(() =>
      load([], { OMRON_SERVER_TOKEN: 'hunter2-secret', OMRON_SERVER_REDIS: 'http://u:hunter2@h' }),
    );
    expect(bad.message).toContain(
      '--server.token: invalid value (not shown: secret) (env OMRON_SERVER_TOKEN)',
    );
    expect(bad.message).toContain('--server.redis: must be a redis:// or rediss:// URL');
    expect(bad.message).not.toContain('hunter2');
    const ok = load([], { OMRON_SERVER_REDIS: 'redis://:hunter2@127.0.0.1:6379' }).values['server.redis'];
    expect(ok).toBe('redis://:hunter2@127.0.0.1:6379');
    const secretDefault = defineConfig({
      app: 'x',
      schema: { pw: opt.string({ help: 'password', default: 'hunter2', secret: true }) },
    });
    expect(secretDefault.usage()).not.toContain('hunter2');
  });

  it('expands ~ in every path option and in --config', async () => {
    const { values } = load(['--wallet.path', '~/w', '--srs.dir=~', '--circuits_dir', 'rel/dir'], {
      OMRON_CACHE_DIR: '~/c',
    });
    expect(values['wallet.path']).toBe(join(homedir(), 'w'));
    expect(values['srs.dir']).toBe(homedir());
    expect(values['cache.dir']).toBe(join(homedir(), 'c'));
    expect(values.circuits_dir).toBe(resolve('rel/dir'));
    const missing = errorOf(() => load(['--config', '~/no-such-omron-config.json']));
    expect(missing.code).toBe('CONFIG_FILE_UNREADABLE');
    expect(missing.message).toContain(join(homedir(), 'no-such-omron-config.json'));
  });

  it('refuses unknown keys and non-JSON in the config file', async () => {
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ wallet: { nmae: 'x' }, netuid: 2 }));
    const err = errorOf(() => load(['--config', typo]));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toContain(`--wallet.nmae: not a setting (did you mean wallet.name?) (file ${typo})`);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ netuid: 2');
    expect(errorOf(() => load(['--config', broken])).code).toBe('CONFIG_FILE_UNREADABLE');
  });

  it('validates settings given in code with the same rules', () => {
    const values = demo.fromObject({
      wallet: { name: 'w', hotkey: undefined },
      'server.port': 1,
      circuits: ['a', ' b'],
    });
    expect(values).toMatchObject({
      'wallet.name': 'w',
      'wallet.hotkey': 'default',
      'server.port': 1,
      circuits: ['a', 'b'],
    });
    const err = errorOf(() => demo.fromObject({ netuid: 0, server: { portt: 1 } }));
    expect(err.message).toContain('--netuid: must be ≥ 1');
    expect(err.message).toContain('--server.portt: not a setting');
  });

  it('generates --help from the schema: groups, placeholders, defaults, env names', () => {
    expect(demo.load(['--netuid', 'bad', '--help'], {})).toEqual({ help: true });
    expect(demo.load(['-h'], {})).toEqual({ help: true });
    const help = demo.usage();
    expect(help).toMatch(/^Usage: demo \[flags\]\n/);
    expect(help).toMatch(
      /\nSubnet:\n {2}--netuid N +subnet uid .*\(default: 2\)\n +env: OMRON_NETUID, BT_NETUID\n/,
    );
    expect(help).toMatch(
      /--wallet\.hotkey TEXT +hotkey name \(default: default\)\n +env: OMRON_WALLET_HOTKEY, BT_WALLET_HOTKEY/,
    );
    expect(help).toContain('--cache.dir PATH');
    expect(help).toContain('(default: ~/.omron/cache)');
    expect(help).toContain('--log.level fatal|error|warn|info|debug|trace|silent');
    expect(help).toMatch(/--server\.tls +serve HTTPS \(was --enable-tls\)/);
    expect(help).toContain('The old names OMRON_DEMO_<FLAG> still work (deprecated).');
    expect(help).not.toContain('OMRON_DEMO_SERVER_PORT');
    const sections = [...help.matchAll(/^(\S[^:\n]*):$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      'General',
      'Subnet',
      'Wallet (btcli layout; an encrypted hotkey reads its BT_PW_* password)',
      'Subtensor',
      'Local network (subtensor.network local)',
      'Files',
      'Circuits',
      'Logging',
      'Server',
    ]);
  });

  it("extends a loader with a subcommand's options, keeping its rules, env names and help", () => {
    const doctor = demo.extend({
      app: 'demo doctor',
      schema: { json: opt.boolean({ help: 'JSON report' }) },
    });
    const result = doctor.load(['--json', '--netuid', '3'], { OMRON_DEMO_SERVER_PORT: '1' });
    if (result.help) throw new Error('unexpected help');
    expect(result.values).toMatchObject({ json: true, netuid: 3, 'server.port': 1 });
    expect(errorOf(() => doctor.load(['--server.tls'])).message).toContain('TLS is for real networks');
    expect(doctor.usage()).toMatch(/^Usage: demo doctor \[flags\]/);
    expect(errorOf(() => demo.load(['--json'])).code).toBe('UNKNOWN_FLAG');
  });

  it('refuses a schema that redeclares a flag, an env name or a built-in flag', () => {
    expect(() =>
      defineConfig({
        app: 'x',
        schema: { 'a.b_c': opt.string({ help: '' }), 'a_b.c': opt.string({ help: '' }) },
      }),
    ).toThrow(/share OMRON_A_B_C/);
    expect(() => defineConfig({ app: 'x', schema: { config: opt.string({ help: '' }) } })).toThrow(
      /built in/,
    );
    expect(() =>
      defineConfig({
        app: 'x',
        schema: { a: opt.string({ help: '', aliases: ['b'] }), b: opt.string({ help: '' }) },
      }),
    ).toThrow(/--b is declared twice/);
    expect(CONFIG_EXIT_CODE).toBe(2);
  });
});
