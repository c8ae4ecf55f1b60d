import { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FINNEY_GENESIS,
  HAVE_FIXTURES,
  replayChain,
  SKIP_REASON,
  wrapperMetadataCallResult,
} from '../test-support/fixtures.js';
import { devWallet } from '../test-support/wallets.js';
import { decryptWeightsCommit, encryptWeightsCommit } from '../timelock/weights-commit.js';
import { commitHash } from './commit-hash.js';
import {
  commitTimelockedWeightsTx,
  commitWeightsTx,
  revealWeightsTx,
  serveAxonTx,
  setWeightsTx,
} from './extrinsics.js';
import type { SubtensorChain } from './subtensor-chain.js';

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

const BLOCK = 6852690;
const NONCE = 7;
const BLOCK_HASH = '0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0';

/** Signs offline (mortal era of 128 from BLOCK), as submitAndWait does online. */
function signOffline(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, pair: KeyringPair) {
  const era = api.registry.createType('ExtrinsicEra', { current: BLOCK, period: 128 });
  tx.sign(pair, {
    blockHash: BLOCK_HASH,
    era,
    genesisHash: FINNEY_GENESIS,
    nonce: NONCE,
    runtimeVersion: api.runtimeVersion,
  });
  return era;
}

/**
 * Checks the signed extrinsic byte by byte: version, signer, signature (verified over the payload), the explicit
 * extension bytes era | Compact nonce | Compact tip | CheckMetadataHash mode, then the call.
 */
function checkSigned(api: ApiPromise, tx: SubmittableExtrinsic<'promise'>, pair: KeyringPair) {
  const era = signOffline(api, tx, pair);
  const hex = tx.toHex();
  const decoded = api.createType('Extrinsic', hex);
  expect(decoded.isSigned).toBe(true);
  expect(decoded.signer.toString()).toBe(pair.address);
  expect(decoded.era.asMortalEra.period.toNumber()).toBe(128);
  expect(decoded.nonce.toNumber()).toBe(NONCE);
  expect(decoded.tip.toNumber()).toBe(0);
  const body = hexToU8a(hex);
  const lengthPrefix = compactToU8a(body.length - compactToU8a(body.length).length);
  const raw = body.subarray(lengthPrefix.length);
  expect(raw[0]).toBe(0x84); // signed, extrinsic version 4
  expect(raw[1]).toBe(0x00); // MultiAddress::Id
  expect(u8aToHex(raw.subarray(2, 34))).toBe(u8aToHex(pair.publicKey));
  expect(raw[34]).toBe(0x01); // MultiSignature::Sr25519
  const signature = raw.subarray(35, 99);
  const extension = u8aConcat(era.toU8a(), compactToU8a(NONCE), compactToU8a(0), new Uint8Array([0]));
  expect(u8aToHex(raw.subarray(99, 99 + extension.length))).toBe(u8aToHex(extension));
  expect(u8aToHex(raw.subarray(99 + extension.length))).toBe(tx.method.toHex());
  const payload = api.createType('ExtrinsicPayload', {
    method: tx.method.toHex(),
    era,
    nonce: NONCE,
    tip: 0,
    mode: 0,
    specVersion: api.runtimeVersion.specVersion,
    transactionVersion: api.runtimeVersion.transactionVersion,
    genesisHash: FINNEY_GENESIS,
    blockHash: BLOCK_HASH,
  });
  // The signer signs the payload, or its blake2-256 when longer than 256 bytes (a timelocked commit is).
  const signed = payload.toU8a({ method: true });
  const message = signed.length > 256 ? blake2AsU8a(signed) : signed;
  expect(signatureVerify(message, signature, pair.address).isValid).toBe(true);
  return decoded;
}

describe.skipIf(!HAVE_FIXTURES)('extrinsics against the recorded finney metadata', () => {
  let chain: SubtensorChain;
  let pair: KeyringPair;
  beforeAll(async () => {
    chain = (await replayChain(['neurons_lite'])).chain;
    pair = (await devWallet('validator')).hotkey;
  });
  afterAll(async () => {
    await chain.close();
  });

  it('lists the extensions it signs with and the SubtensorModule call indexes', () => {
    expect(chain.api.registry.signedExtensions).toContain('ChargeTransactionPayment');
    const index = (tx: SubmittableExtrinsic<'promise'>) => Array.from(tx.method.callIndex);
    expect(index(setWeightsTx(chain.api, 1, [0], [1], 0))).toEqual([7, 0]);
    expect(index(serveAxonTx(chain.api, 1, { ip: '1.2.3.4', port: 1 }))).toEqual([7, 4]);
    expect(index(commitWeightsTx(chain.api, 1, `0x${'11'.repeat(32)}`))).toEqual([7, 96]);
    expect(index(revealWeightsTx(chain.api, 1, { uids: [], weights: [], salt: [], versionKey: 0 }))).toEqual([
      7, 97,
    ]);
  });

  it('signs set_weights and decodes every field back', () => {
    const decoded = checkSigned(
      chain.api,
      setWeightsTx(chain.api, 2, [0, 5, 9], [65535, 1200, 7], 11002),
      pair,
    );
    expect(decoded.method.section).toBe('subtensorModule');
    expect(decoded.method.method).toBe('setWeights');
    expect(decoded.method.args.map((a) => a.toJSON())).toEqual([2, [0, 5, 9], [65535, 1200, 7], 11002]);
  });

  it('signs serve_axon with the chain ip encoding', () => {
    const tx = serveAxonTx(chain.api, 2, { ip: '203.0.113.9', port: 8091, version: 11002 });
    const decoded = checkSigned(chain.api, tx, pair);
    expect(decoded.method.method).toBe('serveAxon');
    const [netuid, version, ip, port, ipType, protocol, p1, p2] = decoded.method.args.map((a) => a.toJSON());
    expect({ netuid, version, ip, port, ipType, protocol, p1, p2 }).toEqual({
      netuid: 2,
      version: 11002,
      ip: 203 * 2 ** 24 + 0 * 2 ** 16 + 113 * 2 ** 8 + 9, // 203.0.113.9 as an integer
      port: 8091,
      ipType: 4,
      protocol: 4,
      p1: 0,
      p2: 0,
    });
    expect(() => serveAxonTx(chain.api, 2, { ip: '127.0.0.1', port: 8091 })).toThrow(/loopback/);
    expect(() => serveAxonTx(chain.api, 2, { ip: '1.2.3.4', port: 0 })).toThrow(/port/);
  });

  it('signs commit_weights with the CRv2 hash and reveal_weights with the same inputs', () => {
    const reveal = {
      uids: [1, 3],
      weights: [65535, 32768],
      salt: [1, 2, 3, 4, 5, 6, 7, 8],
      versionKey: 11002,
    };
    const hash = commitHash(chain.api.registry, { hotkey: pair.publicKey, netuid: 2, ...reveal });
    const commit = checkSigned(chain.api, commitWeightsTx(chain.api, 2, hash), pair);
    expect(commit.method.args.map((a) => u8aToHex(a.toU8a()))).toEqual(['0x0200', hash]); // u16 LE, H256
    const decoded = checkSigned(chain.api, revealWeightsTx(chain.api, 2, reveal), pair);
    expect(decoded.method.args.map((a) => a.toJSON())).toEqual([
      2,
      reveal.uids,
      reveal.weights,
      reveal.salt,
      11002,
    ]);
  });
});

describe.skipIf(!HAVE_FIXTURES)(
  'timelocked and mechanism extrinsics against the recorded finney metadata',
  () => {
    let chain: SubtensorChain;
    let pair: KeyringPair;
    beforeAll(async () => {
      chain = (await replayChain(['neurons_lite'])).chain;
      pair = (await devWallet('validator')).hotkey;
    });
    afterAll(async () => {
      await chain.close();
    });

    it('signs commit_timelocked_weights with the encrypted payload, round and version, and decodes them back', () => {
      const round = 1000;
      const bytes = encryptWeightsCommit({
        hotkey: pair.publicKey,
        uids: [0, 5, 9],
        values: [65535, 1200, 7],
        versionKey: 11002,
        round,
      });
      const tx = commitTimelockedWeightsTx(chain.api, 2, { bytes, round, commitRevealVersion: 4 });
      expect(Array.from(tx.method.callIndex)).toEqual([7, 113]);
      const decoded = checkSigned(chain.api, tx, pair);
      expect(decoded.method.method).toBe('commitTimelockedWeights');
      const [netuid, commit, revealRound, version] = decoded.method.args;
      expect(netuid?.toJSON()).toBe(2);
      expect(u8aToHex(commit?.toU8a(true))).toBe(u8aToHex(bytes)); // Bytes: the exact ciphertext
      expect(u8aToHex(commit?.toU8a())).toBe(u8aToHex(u8aConcat(compactToU8a(bytes.length), bytes)));
      expect([revealRound?.toJSON(), version?.toJSON()]).toEqual([round, 4]);
      // What the chain will decrypt at the round: the SCALE payload with our hotkey.
      const signature = hexToU8a(
        '0xb44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
      );
      const payload = decryptWeightsCommit(commit?.toU8a(true) ?? new Uint8Array(), signature);
      expect(u8aToHex(payload.hotkey)).toBe(u8aToHex(pair.publicKey));
      expect(payload).toMatchObject({ uids: [0, 5, 9], values: [65535, 1200, 7], versionKey: 11002 });
    });

    it('signs the mechanism variants with mecid after netuid', () => {
      const bytes = new Uint8Array([1, 2, 3]);
      const timelocked = checkSigned(
        chain.api,
        commitTimelockedWeightsTx(chain.api, 2, { bytes, round: 77, commitRevealVersion: 4 }, 1),
        pair,
      );
      expect(Array.from(timelocked.method.callIndex)).toEqual([7, 118]);
      expect(timelocked.method.args.map((a) => a.toJSON())).toEqual([2, 1, '0x010203', 77, 4]);
      const set = checkSigned(chain.api, setWeightsTx(chain.api, 2, [0, 1], [65535, 5], 3, 1), pair);
      expect([Array.from(set.method.callIndex), set.method.args.map((a) => a.toJSON())]).toEqual([
        [7, 119],
        [2, 1, [0, 1], [65535, 5], 3],
      ]);
      const reveal = { uids: [1], weights: [65535], salt: [9, 9], versionKey: 3 };
      const hash = commitHash(chain.api.registry, {
        hotkey: pair.publicKey,
        netuid: 2,
        mechid: 1,
        ...reveal,
      });
      expect(hash).not.toBe(commitHash(chain.api.registry, { hotkey: pair.publicKey, netuid: 2, ...reveal }));
      const commit = checkSigned(chain.api, commitWeightsTx(chain.api, 2, hash, 1), pair);
      expect([Array.from(commit.method.callIndex), commit.method.args.map((a) => a.toJSON())]).toEqual([
        [7, 115],
        [2, 1, hash],
      ]);
      const revealed = checkSigned(chain.api, revealWeightsTx(chain.api, 2, reveal, 1), pair);
      expect([Array.from(revealed.method.callIndex), revealed.method.args.map((a) => a.toJSON())]).toEqual([
        [7, 116],
        [2, 1, [1], [65535], [9, 9], 3],
      ]);
    });
  },
);

describe.skipIf(!HAVE_FIXTURES)('ChargeTransactionPaymentWrapper (current runtime extension list)', () => {
  it('keeps the tip byte only with the subtensor signed-extension configuration', async () => {
    const metadata = wrapperMetadataCallResult();
    const { chain } = await replayChain(['neurons_lite'], { metadata });
    const { provider } = await replayChain(['neurons_lite'], { metadata });
    const stock = await ApiPromise.create({ provider, noInitWarn: true });
    try {
      const pair = (await devWallet('validator')).hotkey;
      expect(chain.api.registry.signedExtensions).toContain('ChargeTransactionPaymentWrapper');
      const ours = setWeightsTx(chain.api, 2, [0, 1], [65535, 100], 1);
      checkSigned(chain.api, ours, pair);
      const theirs = stock.tx.subtensorModule?.setWeights?.(2, [0, 1], [65535, 100], 1);
      if (!theirs) throw new Error('no setWeights');
      signOffline(stock, theirs, pair);
      // Without the definition @polkadot/api drops the tip and the node would read the call as the mode byte.
      expect(hexToU8a(theirs.toHex()).length).toBe(hexToU8a(ours.toHex()).length - 1);
    } finally {
      await stock.disconnect();
      await chain.close();
    }
  });
});
