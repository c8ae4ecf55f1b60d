#!/usr/bin/env node
// The whole subnet on one machine: one validator and three miners on the embedded local network.
// Run through the root `pnpm start`. Environment knobs (all optional):
//   OMRON_LOCALNET_DIR            local network state (default ~/.omron/localnet)
//   OMRON_LOCALNET_BLOCK_TIME_MS  block time shared by every process (default 12000)
//   OMRON_LOCALNET_MINERS         how many miners (default 3; ports 8091…, hotkeys miner-1…)
//   OMRON_CACHE_DIR               keys and development SRS cache (default ~/.omron/cache)
//   OMRON_API_PORT                validator status API and dashboard (default 8100)
//   OMRON_LOCALNET_COMMIT_REVEAL  timelock (default: weights go as drand-timelocked commits the local network
//                                 opens with its development beacon), hash (CRv2 commit + reveal) or off
//   OMRON_LOCALNET_TEMPO          subnet tempo in blocks under commit-reveal (default 10: weights show within
//                                 one or two epochs)
//   OMRON_LOCALNET_REDIS          redis:// URL of a running Redis: the miners put their proofs on a BullMQ pool there
//                                 and pool workers (apps/worker) prove them (default: each miner proves in-process)
//   OMRON_LOCALNET_WORKERS        pool workers with OMRON_LOCALNET_REDIS (default 1; /healthz on ports 9101…)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const localnetDir = process.env.OMRON_LOCALNET_DIR || join(homedir(), '.omron', 'localnet');
const blockTimeMs = process.env.OMRON_LOCALNET_BLOCK_TIME_MS || '12000';
const cacheDir = process.env.OMRON_CACHE_DIR || join(homedir(), '.omron', 'cache');
const minerCount = Number(process.env.OMRON_LOCALNET_MINERS || 3);
const apiPort = process.env.OMRON_API_PORT || '8100';
const commitReveal = process.env.OMRON_LOCALNET_COMMIT_REVEAL || 'timelock';
const redisUrl = process.env.OMRON_LOCALNET_REDIS || '';
const workerCount = Number(process.env.OMRON_LOCALNET_WORKERS || 1);
if (!['timelock', 'hash', 'off'].includes(commitReveal)) {
  console.error(`localnet: OMRON_LOCALNET_COMMIT_REVEAL must be timelock, hash or off, not ${commitReveal}`);
  process.exit(1);
}
const validatorArgs =
  commitReveal === 'off'
    ? ['--localnet.commit_reveal', 'off']
    : [
        '--localnet.commit_reveal',
        'on',
        '--localnet.tempo',
        process.env.OMRON_LOCALNET_TEMPO || '10',
        '--subtensor.commit_reveal',
        commitReveal,
      ];
const shared = [
  '--localnet.dir',
  localnetDir,
  '--localnet.block_time_ms',
  blockTimeMs,
  '--cache.dir',
  cacheDir,
];

const COLORS = [36, 32, 33, 35, 34, 31];
const children = new Map();
let stopping = false;

/** The app's directory, once its dependencies are installed (tsx runs its TypeScript sources). */
function appDir(app) {
  const dir = join(root, 'apps', app);
  if (!existsSync(join(dir, 'node_modules', 'tsx'))) {
    console.error(
      `localnet: ${dir}/node_modules/tsx is missing; run \`pnpm install\` at the repository root first`,
    );
    process.exit(1);
  }
  return dir;
}

/** One readable line from a pino JSON line: time, level, message and the interesting fields. */
function pretty(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return line;
  const { time, level, msg, pid: _p, hostname: _h, name: _n, v: _v, ...rest } = entry;
  const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
  const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${when} ${levels[level] ?? level} ${msg}${extra}`;
}

function launch(name, app, args, color) {
  // One node process per app with tsx as its loader, so the pid signalled is the app itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts', ...args], {
    cwd: appDir(app),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
    // Own process group: Ctrl-C reaches only this launcher, which then stops each child exactly once.
    detached: true,
  });
  const prefix = `\x1b[${color}m[${name.padEnd(9)}]\x1b[0m`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) =>
      process.stdout.write(`${prefix} ${pretty(line)}\n`),
    );
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    process.stdout.write(`${prefix} exited (${signal ?? code})\n`);
    if (!stopping) shutdown(`${name} stopped`, 1);
    else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  children.set(name, child);
  return child;
}

function shutdown(reason, code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  process.stdout.write(`\nlocalnet: ${reason}; stopping ${[...children.keys()].join(', ') || 'nothing'}\n`);
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
}

/** True when a Redis server answers PING at `url` (so the pool is worth starting). */
function redisAnswers(url) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    // Any RESP reply (PONG, or NOAUTH with a password in the URL the pool will use) means Redis is there.
    socket.once('data', (d) => done(/^[+-]/.test(d.toString())));
    socket.connect(Number(target.port || 6379), target.hostname, () => socket.write('PING\r\n'));
  });
}

async function waitHealthy(url, name, limitMs) {
  const deadline = Date.now() + limitMs;
  while (!stopping && Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!stopping)
    console.error(`localnet: ${name} did not become healthy at ${url} within ${limitMs / 1000} s`);
  return false;
}

process.on('SIGINT', () => shutdown('Ctrl-C'));
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL');
});
process.on('SIGTERM', () => shutdown('SIGTERM'));

if (redisUrl && !(await redisAnswers(redisUrl))) {
  console.error(
    `localnet: OMRON_LOCALNET_REDIS=${redisUrl.replace(/\/\/[^@/]*@/, '//***@')} but no Redis answers there; start one (redis-server) or unset it for the in-process pool`,
  );
  process.exit(1);
}
const pool = redisUrl ? `Redis pool with ${workerCount} worker(s)` : 'in-process proving';
console.log(
  `localnet: state ${localnetDir}, block time ${blockTimeMs} ms, ${minerCount} miners, cache ${cacheDir}, commit-reveal ${commitReveal}, ${pool}`,
);
// The first miner builds and caches the circuit keys; the others (and the validator) then load them from disk.
// With a Redis pool every miner queues on it and the workers prove for all of them.
const minerArgs = (i) => [
  ...shared,
  '--axon.port',
  String(8090 + i),
  '--wallet.hotkey',
  `miner-${i}`,
  ...(redisUrl ? ['--pool.redis', redisUrl] : []),
];
const workerArgs = (i) => [
  '--pool.redis',
  redisUrl,
  '--cache.dir',
  cacheDir,
  '--metrics.port',
  String(9100 + i),
  '--worker.id',
  `worker-${i}`,
];
launch('miner-1', 'miner', minerArgs(1), COLORS[0]);
// The miner builds and caches the keys first; workers then load them from the same cache.
if (await waitHealthy('http://127.0.0.1:8091/healthz', 'miner-1', 15 * 60_000)) {
  for (let i = 1; redisUrl && i <= workerCount; i++) launch(`worker-${i}`, 'worker', workerArgs(i), 90 + (i % 6));
  for (let i = 2; i <= minerCount; i++)
    launch(`miner-${i}`, 'miner', minerArgs(i), COLORS[(i - 1) % COLORS.length]);
  // The inference API without signatures, so the dashboard's "try it" page works from a browser (local only).
  launch(
    'validator',
    'validator',
    [...shared, '--api.port', apiPort, '--api.public', 'true', ...validatorArgs],
    37,
  );
  if (await waitHealthy(`http://127.0.0.1:${apiPort}/healthz`, 'validator', 10 * 60_000)) {
    console.log(
      `\nlocalnet: dashboard at http://127.0.0.1:${apiPort}/, try an inference at /try  (Ctrl-C stops everything)\n`,
    );
  }
} else shutdown('miner-1 failed to start', 1);
