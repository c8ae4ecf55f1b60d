import { TypeRegistry } from '@polkadot/types';
import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { commitHash } from './commit-hash.js';

const u16le = (v: number) => new Uint8Array([v & 0xff, v >> 8]);
const u64le = (v: number) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(v), true);
  return out;
};
const vecU16 = (vs: number[]) => u8aConcat(compactToU8a(vs.length), ...vs.map(u16le));

describe('commitHash', () => {
  it('is BlakeTwo256 over the SCALE tuple the chain rebuilds on reveal', () => {
    const hotkey = new Uint8Array(32).map((_, i) => i * 7);
    const input = {
      hotkey,
      netuid: 2,
      uids: [0, 1, 300],
      weights: [65535, 1, 2],
      salt: [9, 8, 7],
      versionKey: 11002,
    };
    const manual = u8aConcat(
      hotkey,
      u16le(2),
      vecU16(input.uids),
      vecU16(input.weights),
      vecU16(input.salt),
      u64le(11002),
    );
    expect(commitHash(new TypeRegistry(), input)).toBe(u8aToHex(blake2AsU8a(manual, 256)));
  });

  it('changes with the salt, so a commit reveals nothing about the weights', () => {
    const base = {
      hotkey: new Uint8Array(32),
      netuid: 1,
      uids: [1],
      weights: [65535],
      salt: [1],
      versionKey: 0,
    };
    expect(commitHash(new TypeRegistry(), base)).not.toBe(
      commitHash(new TypeRegistry(), { ...base, salt: [2] }),
    );
  });
});
