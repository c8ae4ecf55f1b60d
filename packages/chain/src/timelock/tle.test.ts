import { hexToU8a, u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { isChainError } from '../errors.js';
import { DevelopmentBeacon } from './development-beacon.js';
import { QUICKNET, roundAt, roundTimeMs } from './quicknet.js';
import { parseTimelockCiphertext, timelockDecrypt, timelockEncrypt, verifyRoundSignature } from './tle.js';
import { decryptWeightsCommit, encryptWeightsCommit, MAX_TIMELOCKED_COMMIT_BYTES } from './weights-commit.js';
import { decodeWeightsPayload, encodeWeightsPayload } from './weights-payload.js';

/** drand quicknet round 1000, as published (and as in subtensor's drand pallet tests). */
const ROUND_1000_SIGNATURE = hexToU8a(
  '0xb44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
);

/** The SCALE `WeightsTlockPayload` { hotkey: 0x0102…20, uids [0,5,9], values [65535,1200,7], version 11002 }. */
const PAYLOAD = {
  hotkey: Uint8Array.from({ length: 32 }, (_, i) => i + 1),
  uids: [0, 5, 9],
  values: [65535, 1200, 7],
  versionKey: 11002,
};
const PAYLOAD_SCALE =
  '0x800102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f200c0000050009000cffffb0040700fa2a000000000000';

/**
 * PAYLOAD encrypted to round 1000 by the reference implementation (PyPI bittensor-drand 2.0.0,
 * `encrypt_at_round`, i.e. the `tle` crate subtensor decrypts with), without its SCALE `UserData` wrapper.
 */
const REFERENCE_COMMIT =
  '0xa3df3e8706f9e31739c51dce288a21cba48504afa8478e90362bb01c3e489d8ea3839ce9302ec48175a4023e74978e840168ee712a6bbe5eebae12408e03c7bed1c232252cc412163df0eb2455750d70dd0a726738de16aefc3465f975a2f576200000000000000050fb81210cd9893d9e45eb15559333923efe4353e2fbb8a372169212878f088420000000000000009c4febeda175760682941789af745d994cdd519e4cfcc81cc1bab8400de6cb0863000000000000004700000000000000dce544132cad5495f45c3b1f640acb50feb22b08f6a01e71798b53061e2d4175e96c84e1c687461eb9529f8904472597f78daa05deaec658e4f9edbf0aa5abe63e0a29834c41910c00000000000000938aebbe2048859cc37d3ac208000000000000004145535f47434d5f';

describe('timelock encryption (tle, drand quicknet)', () => {
  it('verifies the published round-1000 signature against the quicknet key, and rejects it for round 1001', () => {
    expect(verifyRoundSignature(1000, ROUND_1000_SIGNATURE, QUICKNET.publicKey)).toBe(true);
    expect(verifyRoundSignature(1001, ROUND_1000_SIGNATURE, QUICKNET.publicKey)).toBe(false);
  });

  it('encodes the payload as the chain SCALE-decodes it', () => {
    expect(u8aToHex(encodeWeightsPayload(PAYLOAD))).toBe(PAYLOAD_SCALE);
    expect(decodeWeightsPayload(hexToU8a(PAYLOAD_SCALE))).toEqual(PAYLOAD);
  });

  it('known answer: our commit for round 1000 opens with the real round-1000 signature to the SCALE payload', () => {
    const commit = encryptWeightsCommit({ ...PAYLOAD, round: 1000 });
    // U (96) + V, W (8 + 32 each) + body (8 + 8 + |payload| + 16 + 8 + 12) + suite (8 + 8)
    expect(commit.length).toBe(96 + 80 + 52 + hexToU8a(PAYLOAD_SCALE).length + 16);
    expect(u8aToHex(timelockDecrypt(commit, ROUND_1000_SIGNATURE))).toBe(PAYLOAD_SCALE);
    expect(decryptWeightsCommit(commit, ROUND_1000_SIGNATURE)).toEqual(PAYLOAD);
  });

  it('known answer: a commit made by the reference implementation opens to the payload', () => {
    const commit = hexToU8a(REFERENCE_COMMIT);
    expect(parseTimelockCiphertext(commit).cipherSuite).toBe('AES_GCM_');
    expect(u8aToHex(timelockDecrypt(commit, ROUND_1000_SIGNATURE))).toBe(PAYLOAD_SCALE);
  });

  it('does not open with another round signature, a tampered header or a tampered body', () => {
    const beacon = DevelopmentBeacon.fromSecretKey(new Uint8Array(32).fill(7));
    const commit = encryptWeightsCommit({ ...PAYLOAD, round: 1000 });
    const fails = (bytes: Uint8Array, sig: Uint8Array) => {
      try {
        timelockDecrypt(bytes, sig);
        return 'opened';
      } catch (error) {
        return isChainError(error, 'TIMELOCK_DECRYPT_FAILED') ? 'refused' : `threw ${String(error)}`;
      }
    };
    expect(fails(commit, beacon.signature(1000))).toBe('refused');
    for (const index of [100, 140, commit.length - 40]) {
      const tampered = commit.slice();
      tampered[index] = (tampered[index] ?? 0) ^ 1; // V, W, then the sealed body
      expect(fails(tampered, ROUND_1000_SIGNATURE)).toBe('refused');
    }
    expect(fails(commit.subarray(0, 200), ROUND_1000_SIGNATURE)).toBe('refused');
  });

  it('is randomised: two commits of one payload differ and both open', () => {
    const a = encryptWeightsCommit({ ...PAYLOAD, round: 1000 });
    const b = encryptWeightsCommit({ ...PAYLOAD, round: 1000 });
    expect(u8aToHex(a)).not.toBe(u8aToHex(b));
    expect(u8aToHex(timelockDecrypt(b, ROUND_1000_SIGNATURE))).toBe(PAYLOAD_SCALE);
  });

  it('refuses a commit over the chain bound with PAYLOAD_TOO_LARGE', () => {
    const n = 1200;
    const big = { ...PAYLOAD, uids: [...Array(n).keys()], values: Array(n).fill(1), round: 1000 };
    expect(() => encryptWeightsCommit(big)).toThrow(expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }));
    const fits = encryptWeightsCommit({
      ...big,
      uids: big.uids.slice(0, 1024),
      values: big.values.slice(0, 1024),
    });
    expect(fits.length).toBeLessThanOrEqual(MAX_TIMELOCKED_COMMIT_BYTES);
  });

  it('development beacon: its signatures verify under its own key and open commits made to it', () => {
    const beacon = DevelopmentBeacon.fromSecretKey(DevelopmentBeacon.generateSecretKey());
    const round = beacon.latestRound();
    expect(verifyRoundSignature(round, beacon.signature(round), beacon.publicKey)).toBe(true);
    expect(verifyRoundSignature(round, beacon.signature(round), QUICKNET.publicKey)).toBe(false);
    const sealed = timelockEncrypt(new TextEncoder().encode('w'), { round, publicKey: beacon.publicKey });
    expect(new TextDecoder().decode(timelockDecrypt(sealed, beacon.signature(round)))).toBe('w');
    expect(() => timelockDecrypt(sealed, beacon.signature(round - 1))).toThrow(/wrong round signature/);
    expect(() => beacon.signature(round + 2)).toThrow(/not out yet/); // rounds come by time, as drand's
  });

  it('maps time to quicknet rounds', () => {
    expect(roundAt(roundTimeMs(1000))).toBe(1000);
    expect(roundAt(roundTimeMs(1000) - 1)).toBe(999);
    expect(roundTimeMs(0)).toBe(QUICKNET.genesisS * 1000);
  });
});
