// Timelocked weight commits: what one commit costs the validator (encrypt) and the chain (decrypt), by size.
// Prints medians of several runs; `pnpm --filter @omron/chain bench`.
import { hexToU8a } from '@polkadot/util';
import { decryptWeightsCommit, encryptWeightsCommit } from '../src/timelock/weights-commit.js';

const ROUND_1000_SIGNATURE = hexToU8a(
  '0xb44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
);
const RUNS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

console.log('weights  bytes  encrypt ms  decrypt ms  (median of %d, drand quicknet key, round 1000)', RUNS);
for (const n of [16, 256, 1024]) {
  const input = {
    hotkey: new Uint8Array(32).fill(7),
    uids: [...Array(n).keys()],
    values: Array.from({ length: n }, (_, i) => (i * 97) % 65536),
    versionKey: 11_002_000,
    round: 1000,
  };
  const encrypt: number[] = [];
  const decrypt: number[] = [];
  let commit = encryptWeightsCommit(input); // warm-up
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    commit = encryptWeightsCommit(input);
    encrypt.push(performance.now() - t);
    t = performance.now();
    decryptWeightsCommit(commit, ROUND_1000_SIGNATURE);
    decrypt.push(performance.now() - t);
  }
  const row = [String(n).padStart(7), String(commit.length).padStart(6)];
  row.push(median(encrypt).toFixed(1).padStart(11), median(decrypt).toFixed(1).padStart(11));
  console.log(row.join(' '));
}
