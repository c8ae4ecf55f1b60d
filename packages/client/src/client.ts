import type { KeyringPair } from '@polkadot/keyring/types';
import { apiError, OmronClientError } from './errors.js';
import { type CircuitArtifacts, LocalVerifier, type LocalVerifierOptions } from './local-verify.js';
import { RpcConnection } from './rpc-client.js';
import { signApiRequest } from './signing.js';
import type { CircuitInfo, InferAnswer, VerifyAnswer, VerifyRequest } from './types.js';

export interface OmronClientOptions {
  /** The validator's API base, e.g. `http://127.0.0.1:8100` (the `/v1` routes hang off it). */
  url: string;
  /** The sr25519 key that signs every request; omit only for a validator serving `--api.public`. */
  signer?: KeyringPair;
  /** Per-request timeout; default 120 s (an inference waits for a proof). */
  timeoutMs?: number;
  /** How local verification finds its SRS. */
  verifier?: LocalVerifierOptions;
}

/**
 * A client of a validator's verified-inference API: signs every request, and checks every answer locally
 * with `@omron/prover` against the verifying key and settings it downloads (the key must hash to the id).
 *
 * @example
 * const client = new OmronClient({ url: 'http://127.0.0.1:8100', signer: wallet.hotkey });
 * const answer = await client.inferVerified('mlp', [pixels]); // throws unless it verifies here too
 */
export class OmronClient {
  readonly #base: URL;
  readonly #artifacts = new Map<string, Promise<CircuitArtifacts>>();
  readonly #verifier: LocalVerifier;

  constructor(private readonly options: OmronClientOptions) {
    this.#base = new URL(options.url);
    this.#verifier = new LocalVerifier(options.verifier);
  }

  /** Sends one request, signed, and returns the raw response (non-2xx answers throw the API's error). */
  async #request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const url = new URL(path, this.#base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
    if (this.options.signer) {
      Object.assign(
        headers,
        signApiRequest(this.options.signer, { method, path: url.pathname + url.search, body: text ?? '' }),
      );
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(text === undefined ? {} : { body: text }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
    } catch (err) {
      throw new OmronClientError('NETWORK', `${method} ${url}: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
    if (!res.ok) {
      const raw = await res.text();
      let error: { code?: string; message?: string } | undefined;
      try {
        error = (JSON.parse(raw) as { error?: { code?: string; message?: string } }).error;
      } catch {
        // not the API's JSON; reported below
      }
      throw apiError(
        error?.code ?? 'BAD_RESPONSE',
        error?.message ?? `${method} ${url.pathname}: HTTP ${res.status} ${raw.slice(0, 200)}`,
        res.status,
      );
    }
    return res;
  }

  async #json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return (await (await this.#request(method, path, body)).json()) as T;
  }

  circuits(): Promise<CircuitInfo[]> {
    return this.#json('GET', '/v1/circuits');
  }

  /** A circuit by id or name. */
  circuit(idOrName: string): Promise<CircuitInfo> {
    return this.#json('GET', `/v1/circuits/${encodeURIComponent(idOrName)}`);
  }

  async verifyingKey(idOrName: string): Promise<Uint8Array> {
    const res = await this.#request('GET', `/v1/circuits/${encodeURIComponent(idOrName)}/vk`);
    return new Uint8Array(await res.arrayBuffer());
  }

  async settingsJson(idOrName: string): Promise<string> {
    return (await this.#request('GET', `/v1/circuits/${encodeURIComponent(idOrName)}/settings`)).text();
  }

  /** The circuit's verifying key and settings, downloaded once per client. */
  artifacts(id: string): Promise<CircuitArtifacts> {
    let found = this.#artifacts.get(id);
    if (!found) {
      found = Promise.all([this.verifyingKey(id), this.settingsJson(id)]).then(
        ([verifyingKey, settingsJson]) => ({
          id,
          verifyingKey,
          settingsJson,
        }),
      );
      this.#artifacts.set(id, found);
      found.catch(() => this.#artifacts.delete(id));
    }
    return found;
  }

  /** Asks for an inference; the answer is verified by the validator (check it yourself with {@link verifyLocally}). */
  infer(circuit: string, inputs: number[][]): Promise<InferAnswer> {
    return this.#json('POST', '/v1/infer', { circuit, inputs });
  }

  /** Has the validator check a proof you hold. */
  verifyRemote(request: VerifyRequest): Promise<VerifyAnswer> {
    return this.#json('POST', '/v1/verify', request);
  }

  /** Checks an answer on this machine; throws `LOCAL_VERIFY_FAILED` unless it is a proof of `inputs`. */
  async verifyLocally(answer: InferAnswer, inputs: number[][]): Promise<void> {
    await this.#verifier.verify(answer, inputs, await this.artifacts(answer.circuit.id));
  }

  /** {@link infer}, then {@link verifyLocally}: the answer comes back only when it verifies here too. */
  async inferVerified(
    circuit: string,
    inputs: number[][],
  ): Promise<InferAnswer & { verifiedLocally: true; localVerifyMs: number }> {
    const answer = await this.infer(circuit, inputs);
    const started = performance.now();
    await this.verifyLocally(answer, inputs);
    return { ...answer, verifiedLocally: true, localVerifyMs: performance.now() - started };
  }

  /** Opens the WebSocket JSON-RPC endpoint (`/v1/rpc`), signed like any request. */
  rpc(): Promise<RpcConnection> {
    const url = new URL('/v1/rpc', this.#base);
    const headers = this.options.signer
      ? signApiRequest(this.options.signer, { method: 'GET', path: url.pathname })
      : {};
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return RpcConnection.open(url.toString(), headers);
  }
}
