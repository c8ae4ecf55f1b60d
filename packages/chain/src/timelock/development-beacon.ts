import { randomBytes } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { ChainError } from '../errors.js';
import { QUICKNET, type RoundSchedule, roundAt } from './quicknet.js';
import { roundIdentity } from './tle.js';

/**
 * DEVELOPMENT ONLY: a local stand-in for drand quicknet with its own BLS key, so the embedded local network
 * can decrypt timelocked weight commits. Same scheme as quicknet (unchained, signatures in G1 over
 * sha256(round), key in G2) and the same schedule (quicknet's genesis and 3 s period, so round numbers match
 * wall-clock time as on mainnet) — but a different key: its signatures mean nothing anywhere else, and its
 * secret sits in the local state file in the clear. Never use it for a real network.
 */
export class DevelopmentBeacon {
  readonly schedule: RoundSchedule = { genesisS: QUICKNET.genesisS, periodS: QUICKNET.periodS };
  readonly publicKey: Uint8Array;
  private readonly secret: bigint;

  private constructor(secretKey: Uint8Array) {
    if (secretKey.length !== 32) throw new ChainError('INVALID_INPUT', 'beacon secret key must be 32 bytes');
    this.secret = bls12_381.fields.Fr.create(BigInt(`0x${Buffer.from(secretKey).toString('hex')}`));
    if (this.secret === 0n) throw new ChainError('INVALID_INPUT', 'beacon secret key reduces to zero');
    this.publicKey = bls12_381.G2.Point.BASE.multiply(this.secret).toBytes(true);
  }

  /** A beacon from a 32-byte secret (read from the local state). */
  static fromSecretKey(secretKey: Uint8Array): DevelopmentBeacon {
    return new DevelopmentBeacon(secretKey);
  }

  /** A fresh random secret key for a new local network. */
  static generateSecretKey(): Uint8Array {
    return new Uint8Array(randomBytes(32));
  }

  /** The latest round out at `unixMs`. */
  latestRound(unixMs = Date.now()): number {
    return roundAt(unixMs, this.schedule);
  }

  /**
   * The signature of `round` (48-byte compressed G1): the key that opens commits timelocked to it. Like drand,
   * the beacon publishes a round only once its time has come: a later round is refused.
   */
  signature(round: number, nowMs = Date.now()): Uint8Array {
    if (!Number.isSafeInteger(round) || round < 1)
      throw new ChainError('INVALID_INPUT', `no beacon round ${round}`);
    const latest = this.latestRound(nowMs);
    if (round > latest) {
      throw new ChainError('INVALID_INPUT', `beacon round ${round} is not out yet (latest ${latest})`, {
        round,
        latest,
      });
    }
    return roundIdentity(round).multiply(this.secret).toBytes(true);
  }
}
