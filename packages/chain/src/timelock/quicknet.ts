import { hexToU8a } from '@polkadot/util';

/**
 * drand quicknet, the beacon subtensor's drand pallet stores pulses from (`bls-unchained-g1-rfc9380`:
 * signatures in G1, the group key in G2). Round `r` is published at `genesis + r * period`.
 */
export const QUICKNET = {
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  /** Compressed G2 group public key (96 bytes). */
  publicKey: hexToU8a(
    '0x83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  ),
  genesisS: 1_692_803_367,
  periodS: 3,
} as const;

/** The round schedule of a beacon: round `r` is out at `genesisS + r * periodS` (seconds). */
export interface RoundSchedule {
  genesisS: number;
  periodS: number;
}

/** The latest round published at `unixMs` (0 before genesis). */
export function roundAt(unixMs: number, schedule: RoundSchedule = QUICKNET): number {
  return Math.max(0, Math.floor((unixMs / 1000 - schedule.genesisS) / schedule.periodS));
}

/** When round `round` is published, in Unix milliseconds. */
export function roundTimeMs(round: number, schedule: RoundSchedule = QUICKNET): number {
  return (schedule.genesisS + round * schedule.periodS) * 1000;
}
