import { z } from 'zod';

/** Bump on any incompatible change to the on-disk layout; older files are refused, not guessed at. */
export const LOCAL_STATE_VERSION = 1;

const axonSchema = z.object({
  ip: z.string(),
  port: z.number().int(),
  ipType: z.number().int(),
  version: z.number().int(),
  protocol: z.number().int(),
  block: z.number().int(),
});

/** `serve_axon_tls`'s key: algorithm byte and raw public key (≤ 64 bytes, as the chain bounds it). */
const certificateSchema = z.object({
  algorithm: z.number().int().min(0).max(255),
  publicKey: z.string().regex(/^0x([0-9a-f]{2}){1,64}$/) as z.ZodType<`0x${string}`>,
});

const neuronSchema = z.object({
  uid: z.number().int(),
  hotkey: z.string(),
  coldkey: z.string(),
  stake: z.number(),
  validatorPermit: z.boolean(),
  axon: axonSchema,
  /** Absent in files written before TLS axons, and for plain-HTTP axons. */
  certificate: certificateSchema.optional(),
  lastUpdate: z.number().int(),
  registeredAt: z.number().int(),
});

const weightsSchema = z.object({
  block: z.number().int(),
  versionKey: z.number().int(),
  uids: z.array(z.number().int()),
  weights: z.array(z.number().int()),
  /** Under commit-reveal the weights count from here; otherwise equal to `block`. */
  appliesAtBlock: z.number().int(),
});

const hyperparametersSchema = z.object({
  tempo: z.number().int(),
  weightsRateLimit: z.number().int(),
  minAllowedWeights: z.number().int(),
  maxWeightLimit: z.number().int(),
  weightsVersionKey: z.number().int(),
  commitRevealEnabled: z.boolean(),
  revealPeriodEpochs: z.number().int(),
  servingRateLimit: z.number().int(),
  maxAllowedUids: z.number().int(),
  /** `MechanismCountCurrent`: mechanisms 0..count-1 take weights. */
  mechanismCount: z.number().int().min(1).max(256).default(1),
});

/** A CRv2 hash commit waiting for its reveal. */
const hashCommitSchema = z.object({
  hotkey: z.string(),
  mechid: z.number().int(),
  hash: z.string(),
  commitBlock: z.number().int(),
  commitEpoch: z.number().int(),
});

/** A timelocked (CRv4) commit the chain opens itself once the beacon publishes `round`. */
const timelockedCommitSchema = z.object({
  hotkey: z.string(),
  mechid: z.number().int(),
  commitBlock: z.number().int(),
  commitEpoch: z.number().int(),
  round: z.number().int(),
  /** The ciphertext as committed, 0x-hex. */
  commit: z.string(),
});

const subnetSchema = z.object({
  netuid: z.number().int(),
  hyperparameters: hyperparametersSchema,
  neurons: z.array(neuronSchema),
  /**
   * Keyed by validator uid (`<mechid>/<uid>` for mechanisms other than 0); at most one applied and one pending
   * record each.
   */
  weights: z.record(z.string(), z.array(weightsSchema)),
  hashCommits: z.array(hashCommitSchema).default([]),
  timelockedCommits: z.array(timelockedCommitSchema).default([]),
});

export const localStateSchema = z.object({
  version: z.literal(LOCAL_STATE_VERSION),
  genesisMs: z.number(),
  blockTimeMs: z.number().positive(),
  subnets: z.record(z.string(), subnetSchema),
  /** `CommitRevealWeightsVersion` (chain-wide). */
  commitRevealVersion: z.number().int().default(4),
  /**
   * DEVELOPMENT ONLY: the secret key of the local beacon that stands in for drand (see DevelopmentBeacon).
   * Stored in the clear; it protects nothing.
   */
  developmentBeacon: z.object({ secretKey: z.string(), warning: z.string() }).optional(),
});

export type LocalState = z.infer<typeof localStateSchema>;
export type LocalSubnet = z.infer<typeof subnetSchema>;
export type LocalNeuron = z.infer<typeof neuronSchema>;
export type LocalWeights = z.infer<typeof weightsSchema>;
export type LocalHyperparameters = z.infer<typeof hyperparametersSchema>;
export type LocalHashCommit = z.infer<typeof hashCommitSchema>;
export type LocalTimelockedCommit = z.infer<typeof timelockedCommitSchema>;

/**
 * Defaults for a fresh subnet: the mainnet rules, scaled so one machine works out of the box (one validator
 * is enough to set weights, no serving rate limit so restarted miners re-announce at once).
 */
export const DEFAULT_LOCAL_HYPERPARAMETERS: LocalHyperparameters = {
  tempo: 360,
  weightsRateLimit: 100,
  minAllowedWeights: 1,
  maxWeightLimit: 65535,
  weightsVersionKey: 0,
  commitRevealEnabled: false,
  revealPeriodEpochs: 1,
  servingRateLimit: 0,
  maxAllowedUids: 256,
  mechanismCount: 1,
};

/** Stake given to a registered validator (the miner blacklist requires ≥ 1024) and to a miner. */
export const VALIDATOR_STAKE_TAO = 10_000;
export const MINER_STAKE_TAO = 1;

export function emptyState(genesisMs: number, blockTimeMs: number): LocalState {
  return { version: LOCAL_STATE_VERSION, genesisMs, blockTimeMs, subnets: {}, commitRevealVersion: 4 };
}

export function newSubnet(netuid: number): LocalSubnet {
  return {
    netuid,
    hyperparameters: { ...DEFAULT_LOCAL_HYPERPARAMETERS },
    neurons: [],
    weights: {},
    hashCommits: [],
    timelockedCommits: [],
  };
}
