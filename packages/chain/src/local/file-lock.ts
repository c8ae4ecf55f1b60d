import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChainError } from '../errors.js';

/** A lock held longer than this is presumed abandoned even if its pid looks alive (pid reuse). */
const STALE_AFTER_MS = 30_000;

/**
 * Runs `fn` while holding an exclusive cross-process lock: a lock file created with O_EXCL that records the
 * holder's pid. A lock whose holder is dead (or that is older than 30 s) is removed and retried, so a crash
 * never wedges the localnet.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await removeIfStale(lockPath)) continue;
      if (Date.now() > deadline) {
        throw new ChainError('LOCK_TIMEOUT', `localnet lock ${lockPath} still held after ${timeoutMs} ms`);
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function removeIfStale(lockPath: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const pid = Number.parseInt(text, 10);
    // An empty file is a holder between create and write: only stale once old.
    const holderDead = Number.isInteger(pid) && pid > 0 && !isAlive(pid);
    if (!holderDead && Date.now() - info.mtimeMs < STALE_AFTER_MS) return false;
    await rm(lockPath, { force: true });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
