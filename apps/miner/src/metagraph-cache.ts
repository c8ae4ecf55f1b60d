import type { Chain, NeuronInfo } from '@omron/chain';

export interface MetagraphCacheOptions {
  /** Refresh when the snapshot is older than this (default 60 s). */
  maxAgeMs?: number;
  /** An unknown hotkey triggers a refresh at most this often (default 5 s), so new validators get in quickly. */
  missRefreshMs?: number;
}

/** The subnet's neurons by hotkey, refreshed lazily from the chain. */
export class MetagraphCache {
  private byHotkey = new Map<string, NeuronInfo>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly chain: Pick<Chain, 'metagraph'>,
    private readonly netuid: number,
    private readonly options: MetagraphCacheOptions = {},
  ) {}

  /** The neuron registered under `hotkey`, or undefined. */
  async lookup(hotkey: string): Promise<NeuronInfo | undefined> {
    const age = Date.now() - this.fetchedAt;
    if (age > (this.options.maxAgeMs ?? 60_000)) await this.refresh();
    const found = this.byHotkey.get(hotkey);
    if (found || Date.now() - this.fetchedAt < (this.options.missRefreshMs ?? 5_000)) return found;
    await this.refresh();
    return this.byHotkey.get(hotkey);
  }

  /** Re-reads the metagraph (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.inflight ??= this.chain
      .metagraph(this.netuid)
      .then((m) => {
        this.byHotkey = new Map(m.neurons.map((n) => [n.hotkey, n]));
        this.fetchedAt = Date.now();
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
