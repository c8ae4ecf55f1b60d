import type { ApiOptions } from '@polkadot/api/types';
import { ChainError } from '../errors.js';

type ProviderInterface = NonNullable<ApiOptions['provider']>;
type Emitted = Parameters<ProviderInterface['on']>[0];

/** `{ scenario: { rpc_method: { JSON-encoded params: response } } }`, as in the subtensor fixtures. */
export type RpcRecordings = Record<string, Record<string, Record<string, unknown>>>;

/** Answers an RPC that the recordings lack (connection set-up the recorder did not capture). */
export type SyntheticAnswer = (params: unknown[]) => unknown;

interface Entry {
  params: unknown[];
  responses: unknown[];
  next: number;
}

/**
 * A `@polkadot/api` provider that answers from recorded JSON-RPC traffic instead of a node: the test double at
 * the one boundary we cannot reach (the live chain), fed with real recorded data.
 *
 * Requests are matched by method and parameters (hex case and `0x` prefix ignored, trailing nulls dropped); a
 * request without the block hash a recording carries matches that recording. Scenarios are searched in the order
 * given. Anything unmatched rejects with an error naming the request, so a test never hangs.
 */
export class ReplayProvider implements ProviderInterface {
  readonly hasSubscriptions = false;
  readonly isClonable = false;
  readonly requests: { method: string; params: unknown[] }[] = [];
  private readonly entries = new Map<string, Entry[]>();
  private connected = true;
  private readonly listeners = new Map<Emitted, Set<(value?: unknown) => void>>();

  constructor(
    recordings: RpcRecordings,
    scenarios: string[],
    private readonly synthetic: Record<string, SyntheticAnswer> = {},
    /** Method renames between the client and the recorder (pjs `state_getStorage` = recorded `state_getStorageAt`). */
    private readonly aliases: Record<string, string> = {},
  ) {
    for (const scenario of scenarios) {
      const methods = recordings[scenario];
      if (!methods) throw new ChainError('INVALID_INPUT', `no recorded scenario ${JSON.stringify(scenario)}`);
      for (const [method, calls] of Object.entries(methods)) {
        const list = this.entries.get(method) ?? [];
        for (const [paramsJson, response] of Object.entries(calls)) {
          const cycle = (response as { __cycle__?: unknown[] }).__cycle__;
          list.push({
            params: normalise(JSON.parse(paramsJson) as unknown[]),
            responses: cycle ?? [response],
            next: 0,
          });
        }
        this.entries.set(method, list);
      }
    }
  }

  get isConnected(): boolean {
    return this.connected;
  }

  clone(): ProviderInterface {
    throw new ChainError('UNSUPPORTED', 'ReplayProvider cannot be cloned');
  }

  async connect(): Promise<void> {
    this.connected = true;
    this.emit('connected');
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    this.emit('disconnected');
  }

  on(type: Emitted, sub: (value?: unknown) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(sub);
    this.listeners.set(type, set);
    if (type === 'connected' && this.connected) queueMicrotask(() => sub());
    return () => set.delete(sub);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the provider interface returns untyped JSON-RPC results
  async send<T = any>(method: string, params: unknown[]): Promise<T> {
    this.requests.push({ method, params });
    if (!this.connected) throw new ChainError('CLOSED', `replay provider disconnected (${method})`);
    const entry = this.find(this.aliases[method] ?? method, normalise(params));
    if (entry) {
      const response = entry.responses[entry.next % entry.responses.length] as {
        result?: unknown;
        error?: unknown;
      };
      entry.next++;
      if (response.error !== undefined)
        throw new Error(`recorded RPC error for ${method}: ${JSON.stringify(response.error)}`);
      return response.result as T;
    }
    if (method === 'state_queryStorageAt') {
      const answered = this.queryStorageFromSingleReads(params);
      if (answered) return answered as T;
    }
    const answer = this.synthetic[method];
    if (answer) return answer(params) as T;
    throw new ChainError(
      'UNSUPPORTED',
      `no recording for ${method}(${JSON.stringify(params).slice(0, 200)})`,
    );
  }

  async subscribe(): Promise<number | string> {
    throw new ChainError('UNSUPPORTED', 'ReplayProvider has no subscriptions');
  }

  async unsubscribe(): Promise<boolean> {
    return false;
  }

  /**
   * @polkadot/api reads storage with `state_queryStorageAt([keys], at?)`; the SDK recorded the same reads as
   * `state_getStorageAt(key, at)`. Answer the former from the latter when every key was recorded.
   */
  private queryStorageFromSingleReads(params: unknown[]): unknown[] | undefined {
    const [keys, at] = params as [string[], string | undefined];
    if (!Array.isArray(keys)) return undefined;
    const changes: [string, unknown][] = [];
    let block: unknown = at ?? null;
    for (const key of keys) {
      const entry = this.find('state_getStorageAt', normalise([key]));
      if (!entry) return undefined;
      const response = entry.responses[0] as { result?: unknown };
      changes.push([key, response.result ?? null]);
      block ??= (entry.params[1] as string | undefined) ? `0x${entry.params[1]}` : null;
    }
    return [{ block, changes }];
  }

  private find(method: string, params: unknown[]): Entry | undefined {
    const list = this.entries.get(method) ?? [];
    const key = JSON.stringify(params);
    return (
      list.find((e) => JSON.stringify(e.params) === key) ??
      list.find(
        (e) => e.params.length > params.length && JSON.stringify(e.params.slice(0, params.length)) === key,
      )
    );
  }

  private emit(type: Emitted): void {
    for (const sub of this.listeners.get(type) ?? []) sub();
  }
}

function normalise(params: unknown[]): unknown[] {
  const out = params.map((p) =>
    typeof p === 'string' && /^0x[0-9a-f]*$/i.test(p) ? p.slice(2).toLowerCase() : p,
  );
  while (out.length > 0 && (out.at(-1) === null || out.at(-1) === undefined)) out.pop();
  return out;
}
