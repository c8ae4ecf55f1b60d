import type { KeyringPair } from '@polkadot/keyring/types';

/**
 * What the chain needs from a wallet: the structural subset of `@omron/protocol`'s `Wallet`,
 * so any protocol wallet can be passed directly.
 */
export interface ChainWallet {
  readonly name?: string;
  readonly hotkeyName?: string;
  /** sr25519 hotkey; signs every write. */
  readonly hotkey: KeyringPair;
  /** SS58 address of the coldkey that owns the hotkey. */
  readonly coldkeyAddress: string;
}

/** An axon endpoint as published on chain. `ip` is dotted IPv4 or IPv6 text; "0.0.0.0" means not serving. */
export interface AxonEndpoint {
  ip: string;
  port: number;
  /** 4 or 6. */
  ipType: number;
  version: number;
  protocol: number;
}

/**
 * The TLS key an axon announced with `serve_axon_tls` (storage `NeuronCertificates`): an algorithm byte
 * (1 = Ed25519) and a raw public key of at most 64 bytes. Dendrites pin the axon's certificate to it.
 */
export interface AxonCertificate {
  algorithm: number;
  /** `0x` hex. */
  publicKey: `0x${string}`;
}

/** What a neuron announces with `serveAxon`: with `certificate`, `serve_axon_tls`. */
export interface ServeAxonRequest {
  ip: string;
  port: number;
  version?: number;
  certificate?: AxonCertificate;
}

export interface NeuronInfo {
  uid: number;
  hotkey: string;
  coldkey: string;
  /** Stake in TAO (alpha on dTAO subnets), as a float. */
  stake: number;
  validatorPermit: boolean;
  axon: AxonEndpoint;
  /** The TLS key announced with `serve_axon_tls`; absent when the axon speaks plain HTTP. */
  certificate?: AxonCertificate;
  /** Block of the neuron's last weight set (or commit); 0 if never. */
  lastUpdate: number;
  /** Normalised to [0, 1] from the chain's u16. Absent where the source has no value. */
  trust?: number;
  incentive?: number;
  dividends?: number;
  active?: boolean;
}

export interface Metagraph {
  netuid: number;
  /** Block the snapshot was read at. */
  block: number;
  /** Ordered by uid; `neurons[i].uid === i`. */
  neurons: NeuronInfo[];
}

/** The subnet hyperparameters that decide whether a weight set is accepted. */
export interface WeightHyperparameters {
  tempo: number;
  weightsRateLimit: number;
  minAllowedWeights: number;
  /** u16; 65535 means no cap. */
  maxWeightLimit: number;
  weightsVersionKey: number;
  commitRevealEnabled: boolean;
  /** Epochs between a commit and its reveal (chain `RevealPeriodEpochs`, default 1). */
  revealPeriodEpochs: number;
}

export interface ScoreVector {
  uids: number[];
  /** Non-negative scores; normalised to chain u16 weights by `@omron/scoring`. */
  scores: number[];
}

/**
 * How weights go on chain when a subnet has commit-reveal on: `timelock` (CRv4, the SDK's default: drand-timelocked
 * commit, the chain reveals it itself) or `hash` (CRv2: hash commit, the client reveals it in the next epoch).
 */
export type CommitRevealScheme = 'timelock' | 'hash';

export interface SetWeightsOptions {
  /** Mechanism (sub-subnet) id, default 0; weights are stored under `mechid * 4096 + netuid`. */
  mechid?: number;
}

export interface SetWeightsResult {
  /**
   * `direct`: weights are set now; `timelock`: a timelocked commit landed and the chain reveals it at
   * `revealRound`; `commit`: a CRv2 hash commit landed and the reveal is scheduled (and saved, if durable).
   */
  mode: 'direct' | 'commit' | 'timelock';
  block: number;
  /** The u16 weights as sent (after normalisation and zero filtering). */
  uids: number[];
  weights: number[];
  /** For `commit` and `timelock`: the first block of the reveal (predicted from the epoch schedule). */
  revealBlock?: number;
  /** For `timelock`: the drand round the commit opens at. */
  revealRound?: number;
  /**
   * For `commit`: resolves when the reveal lands. For `timelock` on LocalChain: when the chain has applied the
   * weights. Rejects with a ChainError otherwise.
   */
  revealed?: Promise<void>;
  /** Extrinsic hash on Subtensor. */
  txHash?: string;
}

export interface WeightsRecord {
  /** Block the weights were set (on subtensor: the validator's `LastUpdate`). */
  block: number;
  /** Known on LocalChain; the chain does not store it. */
  versionKey?: number;
  uids: number[];
  weights: number[];
}

export interface ResumedReveals {
  /** Saved reveals now scheduled. */
  scheduled: number;
  /** Saved reveals dropped (expired, or their commit never landed). */
  dropped: number;
  /** Settles when every scheduled reveal has landed or failed; never rejects. */
  done: Promise<{ revealed: number; failed: number }>;
}

/** Where the chain reports what it does on its own (reveals, dropped commits); pino-compatible. */
export interface ChainLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface RegisterOptions {
  /** LocalChain only: `validator` gets stake ≥ 1024 TAO and a permit, `miner` a small stake. Default: the first
   * neuron registered on a subnet is the validator, later ones are miners. */
  role?: 'validator' | 'miner';
}

/**
 * The chain as the miner and validator see it. Implemented by {@link LocalChain} (embedded, default) and
 * `SubtensorChain` (finney/test/local subtensor node).
 */
export interface Chain {
  /** 'local' (embedded LocalChain), 'finney', 'test' or a ws(s):// URL. */
  readonly network: string;
  currentBlock(): Promise<number>;
  /** Calls `cb` with each new block number; returns the unsubscribe function. */
  onBlock(cb: (block: number) => void): () => void;
  metagraph(netuid: number): Promise<Metagraph>;
  hyperparameters(netuid: number): Promise<WeightHyperparameters>;
  uidForHotkey(netuid: number, hotkey: string): Promise<number | null>;
  isRegistered(netuid: number, hotkey: string): Promise<boolean>;
  /** LocalChain registers and returns the uid; SubtensorChain throws `UNSUPPORTED` (use btcli). */
  register(netuid: number, wallet: ChainWallet, options?: RegisterOptions): Promise<number>;
  /**
   * Announces the axon (`serve_axon`, or `serve_axon_tls` with a certificate key); a no-op when the chain already
   * holds the same endpoint and key.
   */
  serveAxon(netuid: number, wallet: ChainWallet, axon: ServeAxonRequest): Promise<void>;
  /** Normalises through `@omron/scoring`, checks every chain rule client-side, then sets (or commits) weights. */
  setWeights(
    netuid: number,
    wallet: ChainWallet,
    scores: ScoreVector,
    versionKey: number,
    options?: SetWeightsOptions,
  ): Promise<SetWeightsResult>;
  /**
   * Reveals the CRv2 commits saved by an earlier run of this hotkey (see `pendingRevealsPath`): each in its
   * reveal epoch; commits that never landed or whose epoch has passed are dropped with a log line.
   */
  resumeReveals(wallet: ChainWallet): Promise<ResumedReveals>;
  /** The weights a validator uid last set (LocalChain; SubtensorChain reads the `Weights` storage). */
  lastWeights(
    netuid: number,
    validatorUid: number,
    options?: SetWeightsOptions,
  ): Promise<WeightsRecord | null>;
  close(): Promise<void>;
}
