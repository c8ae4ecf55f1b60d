import type { Chain, NeuronInfo } from '@omron/chain';
import type { Wallet } from '@omron/protocol';
import type { Check } from './report.js';

export type DoctorRole = 'miner' | 'validator' | 'worker';

/** A port a process listens on, and the flag that sets it (for the fix line). */
export interface ListenSpec {
  host: string;
  port: number;
  flag: string;
}

/**
 * What the doctor checks, in one shape for every role. Each app maps its own configuration onto it
 * (the apps' flag vocabularies differ; this is the one place that does not care).
 */
export interface DoctorTarget {
  role: DoctorRole;
  netuid: number;
  /** `local`, `finney`, `test` or a ws(s):// URL. */
  network: string;
  /** Explicit subtensor endpoint (`--subtensor.chain_endpoint`). */
  chainEndpoint?: string | undefined;
  /** True on the embedded local network (no endpoint, network `local`). */
  isLocal: boolean;
  localnet: { dir: string; blockTimeMs: number };
  /** Wallet location; `path` undefined means btcli's default (`~/.bittensor/wallets`). */
  wallet: { name: string; hotkey: string; path?: string | undefined };
  /** The ports this process listens on: the miner's axon, the validator's API (and inference API). */
  listen?: ListenSpec | readonly ListenSpec[];
  /** Miner only: the address validators should reach (what must be on chain). Null: cannot be derived. */
  announce?: { ip: string | null; port: number; why?: string };
  cacheDir: string;
  srsDir?: string | undefined;
  /** Circuit names (undefined: every enabled one). */
  circuits?: readonly string[] | undefined;
  /** `prover` needs proving keys in the cache; `verifier` only verifying keys. */
  keysRole: 'prover' | 'verifier';
  /** redis:// URL of the proving pool, when one is configured. */
  redisUrl?: string | undefined;
  /** Budget for each network operation (chain connect, Redis PING). */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** App-specific checks (e.g. the miner's TLS files), run after the role's own. */
  extraChecks?: readonly Check<DoctorContext>[];
}

/** What earlier checks learned, for later ones. */
export interface DoctorContext {
  target: DoctorTarget;
  wallet?: Wallet;
  /** The hotkey address even when the wallet could not be unlocked (read from the public part). */
  hotkeyAddress?: string;
  chain?: Chain;
  uid?: number | null;
  neuron?: NeuronInfo;
  /** The circuits to serve: name, k and model hash (from compiling each model). */
  circuits?: { name: string; k: number; modelHash: string }[];
  /** The SRS key tag per k, as the circuit store names key directories (`k14-insecure-dev`, `k14-<sha256/16>`). */
  srsTags?: Map<number, string>;
  /** Closed at the end of a run. */
  closers: (() => Promise<void>)[];
}

/** True where the development SRS and automatic registration are allowed. */
export function isDevelopmentNetwork(target: Pick<DoctorTarget, 'network'>): boolean {
  return target.network === 'local';
}
