import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProtocolError } from '../errors.js';

/** A creator that died holding the lock is presumed gone after this long (creating keys takes milliseconds). */
const STALE_MS = 30_000;
const WAIT_MS = 60_000;

/**
 * Runs `fn` while holding `<walletDir>/.create.lock`, so processes that create the same development wallet at once
 * (several miners of one local network starting together) never see each other's half-written keys. `mkdir` is
 * atomic on every filesystem we run on, which makes it the lock primitive.
 */
export async function withWalletCreateLock<T>(walletDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(walletDir, '.create.lock');
  await mkdir(walletDir, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) {
        throw new ProtocolError(
          'WALLET_LOCKED',
          `timed out waiting for ${lock}; remove it if no process is creating keys`,
        );
      } else await sleep(delay);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
