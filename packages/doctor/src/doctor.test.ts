import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import { CircuitStore, sha256Hex } from '@omron/circuits';
import {
  createDevelopmentWallet,
  encodeEnvPassword,
  KeyfileJson,
  passwordEnvVarName,
  type Wallet,
  writeKeyfile,
} from '@omron/protocol';
import { developmentSrs } from '@omron/prover';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockVerdict } from './checks/chain.js';
import { keysCheck, srsCheck } from './checks/circuits.js';
import { redisCheck } from './checks/network.js';
import { walletCheck } from './checks/wallet.js';
import type { DoctorContext, DoctorTarget } from './context.js';
import type { CheckResult, DoctorReport } from './report.js';
import { runChecks } from './report.js';
import { diagnose } from './run.js';

/** The smallest circuit (k=13): keeps the one-off keygen short. */
const CIRCUIT = 'cnn';

let dir: string;
let localnetDir: string;
let cacheDir: string;
let miner: Wallet;
let axonPort: number;

function listenOn(port = 0, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listenOn();
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

function minerTarget(extra: Partial<DoctorTarget> = {}): DoctorTarget {
  return {
    role: 'miner',
    netuid: 2,
    network: 'local',
    isLocal: true,
    localnet: { dir: localnetDir, blockTimeMs: 1000 },
    wallet: { name: 'miner', hotkey: 'default', path: join(localnetDir, 'wallets') },
    listen: { host: '127.0.0.1', port: axonPort, flag: '--axon.port' },
    announce: { ip: '127.0.0.1', port: axonPort },
    cacheDir,
    circuits: [CIRCUIT],
    keysRole: 'prover',
    timeoutMs: 5_000,
    ...extra,
  };
}

const byId = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c]));
const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

async function runOne(check: typeof srsCheck, target: DoctorTarget): Promise<CheckResult[]> {
  const ctx: DoctorContext = { target, closers: [] };
  return (await runChecks(target.role, [srsCheck, check], ctx)).checks;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-doctor-'));
  localnetDir = join(dir, 'localnet');
  cacheDir = join(dir, 'cache');
  axonPort = await freePort();
  const chain = await LocalChain.open({ dir: localnetDir, blockTimeMs: 1000 });
  miner = await createDevelopmentWallet({
    path: join(localnetDir, 'wallets'),
    name: 'miner',
    hotkey: 'default',
  });
  const validator = await createDevelopmentWallet({
    path: join(localnetDir, 'wallets'),
    name: 'validator',
    hotkey: 'default',
  });
  await chain.register(2, validator, { role: 'validator' });
  await chain.register(2, miner, { role: 'miner' });
  await chain.serveAxon(2, miner, { ip: '127.0.0.1', port: axonPort });
  await chain.close();
  // Real keys, built the way the miner builds them.
  await CircuitStore.open({ role: 'prover', cacheDir, circuits: [CIRCUIT] });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('doctor on the local network', () => {
  it('passes every check of a registered, served miner with built keys', async () => {
    const report = await diagnose(minerTarget());
    expect(statuses(report)).toEqual({
      wallet: 'pass',
      chain: 'pass',
      registration: 'pass',
      stake: 'pass',
      port: 'pass',
      axon: 'pass',
      srs: 'pass',
      keys: 'pass',
      redis: 'skip',
      clock: 'pass',
    });
    expect(report.ok).toBe(true);
    const checks = byId(report);
    expect(checks.wallet!.data?.hotkey).toBe(miner.hotkey.address);
    expect(checks.registration!.data?.uid).toBe(1);
    expect(checks.keys!.data).toMatchObject({ ready: [CIRCUIT], missing: [], corrupt: [] });
    expect(checks.srs!.detail).toContain('INSECURE');
  });

  it('passes a validator with its permit, and reports the miner’s lack of one as fine', async () => {
    const report = await diagnose({
      ...minerTarget(),
      role: 'validator',
      wallet: { name: 'validator', hotkey: 'default', path: join(localnetDir, 'wallets') },
      listen: { host: '127.0.0.1', port: await freePort(), flag: '--api.port' },
      keysRole: 'verifier',
    });
    expect(report.ok).toBe(true);
    expect(byId(report).stake!.data).toMatchObject({ validatorPermit: true });
    expect(report.checks.map((c) => c.id)).not.toContain('axon');
  });

  it('warns when the chain holds another axon address than the configuration announces', async () => {
    const report = await diagnose(minerTarget({ announce: { ip: '127.0.0.1', port: axonPort + 1 } }));
    const axon = byId(report).axon!;
    expect(axon.status).toBe('warn');
    expect(axon.detail).toContain(`127.0.0.1:${axonPort}`);
    expect(report.ok).toBe(true);
  });

  it('fails on a port another process holds, with the flag to change in the fix', async () => {
    const holder = await listenOn(axonPort);
    try {
      const report = await diagnose(minerTarget());
      const port = byId(report).port!;
      expect(port.status).toBe('fail');
      expect(port.detail).toContain('in use');
      expect(port.fix).toContain('--axon.port');
      expect(report.ok).toBe(false);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('fails on a corrupted key file and names it', async () => {
    const damaged = join(dir, 'cache-damaged');
    await cp(cacheDir, damaged, { recursive: true });
    const [keysDir] = (await readdirDeep(join(damaged, 'keys'))).filter((p) => p.endsWith('pk.bin'));
    const bytes = await readFile(keysDir!);
    bytes[bytes.length >> 1]! ^= 0xff;
    await writeFile(keysDir!, bytes);
    const report = await diagnose(minerTarget({ cacheDir: damaged }));
    const keys = byId(report).keys!;
    expect(keys.status).toBe('fail');
    expect(keys.detail).toContain(keysDir);
    expect(keys.fix).toContain('delete');
    expect(report.ok).toBe(false);
    // A verifier needs only the verifying key: the damaged proving key does not concern it.
    const verifier = await diagnose(minerTarget({ cacheDir: damaged, keysRole: 'verifier' }));
    expect(byId(verifier).keys!.status).toBe('pass');
  });

  it('reports keys not built yet as a first-start step, not a failure', async () => {
    const [keys] = await runOne(keysCheck, minerTarget({ cacheDir: join(dir, 'empty-cache') })).then((r) =>
      r.filter((c) => c.id === 'keys'),
    );
    expect(keys!.status).toBe('pass');
    expect(keys!.detail).toContain('built at first start');
  });
});

async function readdirDeep(root: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('wallet check with an encrypted hotkey', () => {
  const PASSWORD = 'correct horse battery staple';
  let path: string;
  let hotkeyFile: string;
  beforeAll(async () => {
    path = join(dir, 'encrypted-wallets');
    await cp(join(localnetDir, 'wallets', 'miner'), join(path, 'miner'), { recursive: true });
    hotkeyFile = join(path, 'miner', 'hotkeys', 'default');
    const json = KeyfileJson.parse(JSON.parse(await readFile(hotkeyFile, 'utf8')));
    await rm(hotkeyFile);
    await writeKeyfile(hotkeyFile, json, { password: PASSWORD }); // btwallet's real KDF cost
  }, 120_000);
  const check = async (env: NodeJS.ProcessEnv) => {
    const target = minerTarget({ wallet: { name: 'miner', hotkey: 'default', path }, env });
    const { checks } = await runChecks('miner', [walletCheck], { target, closers: [] });
    return checks[0]!;
  };

  it('unlocks it from btcli’s BT_PW_ variable, refuses a wrong one, never shows the password', async () => {
    const name = passwordEnvVarName(hotkeyFile);
    const ok = await check({ [name]: encodeEnvPassword(PASSWORD, name) });
    expect(ok.status).toBe('pass');
    expect(ok.data?.hotkey).toBe(miner.hotkey.address);
    const wrong = await check({ [name]: encodeEnvPassword('not it', name) });
    expect(wrong.status).toBe('fail');
    expect(wrong.detail).toContain('wrong password');
    for (const r of [ok, wrong]) expect(JSON.stringify(r)).not.toContain(PASSWORD);
  }, 120_000);

  it('names the variable to set when there is no terminal to ask on', async () => {
    const locked = await check({});
    expect(locked.status).toBe('fail');
    expect(locked.fix).toContain(passwordEnvVarName(hotkeyFile));
  });
});

describe('doctor off the local network', () => {
  it('fails fast on a stopped chain endpoint and skips what needs the chain', async () => {
    const port = await freePort();
    const started = Date.now();
    const report = await diagnose(
      minerTarget({
        network: `ws://127.0.0.1:${port}`,
        isLocal: false,
        announce: { ip: '203.0.113.5', port: 8091 },
        listen: { host: '127.0.0.1', port: 0, flag: '--axon.port' },
      }),
    );
    const checks = byId(report);
    expect(checks.wallet!.status).toBe('pass');
    expect(checks.chain!.status).toBe('fail');
    expect(checks.chain!.detail).toContain('ECONNREFUSED');
    expect(checks.chain!.fix).toMatch(/endpoint/);
    for (const id of ['registration', 'stake', 'clock']) expect(checks[id]!.status).toBe('skip');
    expect(report.ok).toBe(false);
    // A refused connection is reported without waiting for the API's timeout.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('fails on a missing wallet with the btcli command to create it', async () => {
    const report = await diagnose(
      minerTarget({
        network: 'ws://127.0.0.1:9',
        isLocal: false,
        wallet: { name: 'nobody', hotkey: 'default', path: join(dir, 'no-wallets') },
      }),
    );
    const wallet = byId(report).wallet!;
    expect(wallet.status).toBe('fail');
    expect(wallet.fix).toContain('btcli wallet new-coldkey --wallet.name nobody');
  });

  it('fails on a private external address', async () => {
    const report = await diagnose(
      minerTarget({
        network: 'ws://127.0.0.1:9',
        isLocal: false,
        announce: { ip: '192.168.1.4', port: 8091 },
      }),
    );
    expect(byId(report).axon!.status).toBe('fail');
    expect(byId(report).axon!.fix).toContain('--axon.external_ip');
  });
});

describe('SRS check', () => {
  let devSrs: Buffer;
  beforeAll(async () => {
    devSrs = await readFile(join(cacheDir, 'srs', 'kzg13.insecure-dev.srs'));
  });
  const offLocal = (srsDir?: string) =>
    minerTarget({ network: 'finney', isLocal: false, ...(srsDir ? { srsDir } : {}) });

  it('refuses a missing SRS file off the local network, naming the file and where it looked', async () => {
    const empty = join(dir, 'srs-empty');
    await mkdir(empty, { recursive: true });
    const [srs, keys] = await runOne(keysCheck, offLocal(empty));
    expect(srs!.status).toBe('fail');
    expect(srs!.detail).toContain('kzg13.srs');
    expect(srs!.detail).toContain(empty);
    expect(srs!.fix).toContain('perpetual-powers-of-tau');
    expect(keys!.status).toBe('skip');
    const [none] = await runOne(keysCheck, offLocal());
    expect(none!.detail).toContain('no --srs.dir given');
  });

  it('refuses the development SRS off the local network, accepts it on the local network', async () => {
    const srsDir = join(dir, 'srs-dev');
    await mkdir(srsDir, { recursive: true });
    await writeFile(join(srsDir, 'kzg13.srs'), devSrs);
    const [off] = await runOne(keysCheck, offLocal(srsDir));
    expect(off!.status).toBe('fail');
    expect(off!.detail).toContain('INSECURE');
    const [local] = await runOne(keysCheck, minerTarget({ srsDir }));
    // Valid, but its checksum is not recorded yet: a warning with the command that records it.
    expect(local!.status).toBe('warn');
    expect(local!.fix).toContain('srs check');
    expect(local!.data?.files).toEqual([
      { k: 13, file: join(srsDir, 'kzg13.srs'), sha256: sha256Hex(devSrs) },
    ]);
  });

  it('checks a file against its recorded checksum and refuses a truncated one', async () => {
    const srsDir = join(dir, 'srs-recorded');
    await mkdir(srsDir, { recursive: true });
    const file = join(srsDir, 'kzg13.srs');
    await writeFile(file, devSrs);
    await writeFile(`${file}.sha256`, `${sha256Hex(devSrs)}  kzg13.srs\n`);
    const [ok] = await runOne(keysCheck, minerTarget({ srsDir }));
    expect(ok!.status).toBe('pass');
    await writeFile(`${file}.sha256`, `${'0'.repeat(64)}  kzg13.srs\n`);
    const [changed] = await runOne(keysCheck, minerTarget({ srsDir }));
    expect(changed!.status).toBe('fail');
    expect(changed!.detail).toContain('differs from the recorded');
    await writeFile(file, devSrs.subarray(0, devSrs.length - 64));
    const [short] = await runOne(keysCheck, minerTarget({ srsDir }));
    expect(short!.status).toBe('fail');
    expect(short!.fix).toContain('download it again');
  });

  it('uses a larger kzg{j}.srs for a smaller k', async () => {
    const srsDir = join(dir, 'srs-larger');
    await (await developmentSrs(15)).save(join(srsDir, 'kzg15.srs'));
    const [srs] = await runOne(keysCheck, minerTarget({ srsDir, circuits: ['cnn', 'sigmoid_tanh'] }));
    expect(srs!.data?.ks).toEqual([13, 14]);
    const files = (srs!.data!.files as { k: number; file: string }[]).map((f) => [f.k, f.file]);
    expect(files).toEqual([
      [13, join(srsDir, 'kzg15.srs')],
      [14, join(srsDir, 'kzg15.srs')],
    ]);
  }, 120_000);
});

describe('Redis check', () => {
  const target = (redisUrl?: string) => minerTarget(redisUrl ? { redisUrl } : {});
  const run = async (redisUrl?: string) =>
    (await runChecks('miner', [redisCheck], { target: target(redisUrl), closers: [] })).checks[0]!;

  it('skips without a pool, fails on a closed port and on a server that is not Redis', async () => {
    expect((await run()).status).toBe('skip');
    const closed = await run(`redis://127.0.0.1:${await freePort()}`);
    expect(closed.status).toBe('fail');
    expect(closed.detail).toContain('ECONNREFUSED');
    const sockets = new Set<import('node:net').Socket>();
    const http = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      const port = (http.address() as { port: number }).port;
      const wrong = await run(`redis://:secret@127.0.0.1:${port}`);
      expect(wrong.status).toBe('fail');
      expect(wrong.detail).toContain('not a Redis reply: HTTP/1.1 400');
      expect(wrong.detail).not.toContain('secret');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => http.close(r));
    }
  });

  const redisServer = spawnSync('redis-server', ['--version']).status === 0;
  it.skipIf(!redisServer)(
    'passes against a real redis-server (skipped when redis-server is not installed)',
    async () => {
      const { spawn } = await import('node:child_process');
      const port = await freePort();
      const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      try {
        let result: CheckResult | undefined;
        for (let i = 0; i < 50 && result?.status !== 'pass'; i++) {
          result = await run(`redis://127.0.0.1:${port}`);
          if (result.status !== 'pass') await new Promise((r) => setTimeout(r, 100));
        }
        expect(result!.status).toBe('pass');
        expect(result!.detail).toContain('PONG');
      } finally {
        server.kill('SIGTERM');
      }
    },
  );
});

describe('clock verdict', () => {
  it('passes within 2 s of a fresh block, warns up to the 4 s nonce window, fails beyond', () => {
    expect(clockVerdict(900).status).toBe('pass');
    expect(clockVerdict(-1500).status).toBe('pass');
    expect(clockVerdict(3000)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('3000 ms ahead'),
    });
    expect(clockVerdict(-6000)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('timedatectl'),
    });
  });
});
