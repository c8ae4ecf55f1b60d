import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevelopmentWallet, loadWallet } from './wallet.js';

const run = promisify(execFile);
const HOTKEYS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const walletModule = new URL('./wallet.ts', import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-wallet-race-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createDevelopmentWallet across processes', () => {
  it('gives every process the same coldkey when several create one wallet at once', async () => {
    // Six processes, one coldkey, six hotkeys: what a local network's miners do when they start together.
    // Every process waits for the same instant after loading, so their creations really overlap.
    const startAt = Date.now() + 2_500;
    const script = (hotkey: string) =>
      `import { createDevelopmentWallet } from ${JSON.stringify(walletModule)};
       while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 1));
       const w = await createDevelopmentWallet({ path: ${JSON.stringify(dir)}, name: 'miner', hotkey: '${hotkey}' });
       process.stdout.write(w.coldkeyAddress);`;
    const outputs = await Promise.all(
      HOTKEYS.map((hotkey) =>
        run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(hotkey)], {
          cwd: new URL('../..', import.meta.url).pathname,
          timeout: 60_000,
        }),
      ),
    );
    const coldkeys = new Set(outputs.map((o) => o.stdout.trim()));
    expect(coldkeys.size).toBe(1);
    const [coldkey] = coldkeys;
    for (const hotkey of HOTKEYS) {
      const wallet = await loadWallet({ path: dir, name: 'miner', hotkey, env: {} });
      expect(wallet.coldkeyAddress).toBe(coldkey);
    }
  }, 90_000);

  it('waits for a creator that holds the lock instead of reading its half-written keys', async () => {
    // Another creator is mid-way: its coldkey is written, its coldkeypub.txt not yet, and it holds the lock.
    const source = await createDevelopmentWallet({ path: join(dir, 'source'), name: 'w', hotkey: 'x' });
    const walletDir = join(dir, 'busy', 'w');
    await mkdir(join(walletDir, '.create.lock'), { recursive: true });
    await copyFile(join(dir, 'source', 'w', 'coldkey'), join(walletDir, 'coldkey'));

    let settled = false;
    const creating = createDevelopmentWallet({ path: join(dir, 'busy'), name: 'w', hotkey: 'y' }).finally(
      () => {
        settled = true;
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);

    // The other creator finishes and lets go: ours completes with that same coldkey.
    await copyFile(join(dir, 'source', 'w', 'coldkeypub.txt'), join(walletDir, 'coldkeypub.txt'));
    await rm(join(walletDir, '.create.lock'), { recursive: true });
    const wallet = await creating;
    expect(wallet.coldkeyAddress).toBe(source.coldkeyAddress);
  });
});
