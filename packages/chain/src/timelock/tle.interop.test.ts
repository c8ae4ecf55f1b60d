import { execFileSync } from 'node:child_process';
import { compactFromU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { revealRound } from './reveal-round.js';
import { timelockDecrypt } from './tle.js';
import { encryptWeightsCommit } from './weights-commit.js';
import { encodeWeightsPayload } from './weights-payload.js';

/**
 * Opt-in interop with the SDK's own implementation (PyPI `bittensor-drand`, the `tle` crate subtensor uses):
 * OMRON_BT_DRAND_PYTHON=python3 (an interpreter with `pip install bittensor-drand`).
 */
const PYTHON = process.env.OMRON_BT_DRAND_PYTHON;
if (!PYTHON) console.warn('OMRON_BT_DRAND_PYTHON unset: skipping the bittensor-drand interop test');

const SIGNATURE_1000 =
  'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';

/** Python side: `decrypt <UserData hex>` → plaintext hex; `encrypt <payload hex>` → UserData hex for round 1000. */
const SCRIPT = `
import sys, bittensor_drand as bd
cmd = sys.argv[1]
if cmd == 'round':
    s = [int(x) for x in sys.argv[2].split(',')]
    print(bd.get_encrypted_commit_v2([0], [1], 1, s[0], s[1], s[2], s[3], s[4], s[5], 1, 12.0, bytes(32))[1])
    sys.exit()
arg = bytes.fromhex(sys.argv[2])
if cmd == 'decrypt':
    print(bd.decrypt_with_signature(arg, '${SIGNATURE_1000}').hex())
else:
    print(bd.encrypt_at_round(arg, 1000)[0].hex())
`;

function python(cmd: 'decrypt' | 'encrypt', bytes: Uint8Array): Uint8Array {
  const out = execFileSync(PYTHON as string, ['-c', SCRIPT, cmd, u8aToHex(bytes).slice(2)], {
    encoding: 'utf8',
  });
  return hexToU8a(`0x${out.trim()}`);
}

/** bittensor-drand's SCALE `UserData { encrypted_data: Vec<u8>, reveal_round: u64 }`. */
function userData(commit: Uint8Array, round: number): Uint8Array {
  const roundBytes = new Uint8Array(8);
  new DataView(roundBytes.buffer).setBigUint64(0, BigInt(round), true);
  return u8aConcat(compactToU8a(commit.length), commit, roundBytes);
}

describe.skipIf(!PYTHON)('interop with bittensor-drand (opt-in)', () => {
  const schedules = {
    'a running epoch': {
      lastEpochBlock: 9_029_149,
      pendingEpochAt: 0,
      subnetEpochIndex: 25_016,
      tempo: 360,
      blocksSinceLastStep: 48,
      currentBlock: 9_029_197,
    },
    'an owner-triggered epoch pending': {
      lastEpochBlock: 9_029_149,
      pendingEpochAt: 9_029_230,
      subnetEpochIndex: 25_016,
      tempo: 360,
      blocksSinceLastStep: 48,
      currentBlock: 9_029_197,
    },
    'an epoch firing at the inclusion block': {
      lastEpochBlock: 9_029_149,
      pendingEpochAt: 0,
      subnetEpochIndex: 25_016,
      tempo: 360,
      blocksSinceLastStep: 359,
      currentBlock: 9_029_508,
    },
  };
  for (const [name, schedule] of Object.entries(schedules)) {
    it(`computes the reveal round get_encrypted_commit_v2 computes, with ${name}`, () => {
      const ours = (nowMs: number) =>
        revealRound({
          netuid: 2,
          currentBlock: schedule.currentBlock,
          tempo: schedule.tempo,
          revealPeriodEpochs: 1,
          schedule,
          nowMs,
        }).round;
      const before = ours(Date.now());
      const args = [
        schedule.lastEpochBlock,
        schedule.pendingEpochAt,
        schedule.subnetEpochIndex,
        schedule.tempo,
        schedule.blocksSinceLastStep,
        schedule.currentBlock,
      ];
      const theirs = Number(
        execFileSync(PYTHON as string, ['-c', SCRIPT, 'round', args.join(',')], { encoding: 'utf8' }).trim(),
      );
      const after = ours(Date.now());
      // Both read the clock; a round boundary may fall between the three readings.
      expect(theirs).toBeGreaterThanOrEqual(before);
      expect(theirs).toBeLessThanOrEqual(after);
    });
  }

  const payload = {
    hotkey: Uint8Array.from({ length: 32 }, (_, i) => 255 - i),
    uids: [...Array(256).keys()],
    values: Array.from({ length: 256 }, (_, i) => (i * 257) % 65536),
    versionKey: 11_002_001,
  };

  it('bittensor-drand decrypts our commit with decrypt_with_signature', () => {
    const commit = encryptWeightsCommit({ ...payload, round: 1000 });
    expect(u8aToHex(python('decrypt', userData(commit, 1000)))).toBe(u8aToHex(encodeWeightsPayload(payload)));
  });

  it('we decrypt a commit bittensor-drand made with encrypt_at_round', () => {
    const scale = encodeWeightsPayload(payload);
    const wrapped = python('encrypt', scale);
    // Strip the UserData wrapper: compact length, the commit, then the u64 round.
    const [prefix, length] = compactFromU8a(wrapped);
    const commit = wrapped.subarray(prefix, prefix + length.toNumber());
    const round = new DataView(wrapped.slice(prefix + commit.length).buffer).getBigUint64(0, true);
    expect(round).toBe(1000n);
    expect(u8aToHex(timelockDecrypt(commit, hexToU8a(`0x${SIGNATURE_1000}`)))).toBe(u8aToHex(scale));
  });
});
