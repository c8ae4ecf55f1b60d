import { type AccessRule, checkAccess } from './access.js';
import type { RequestLimits } from './limits.js';
import { authenticate, type ReplayGuard, type SignedRequest } from './request-auth.js';

export interface GateOptions {
  /** Serve without signatures (local network only; the config refuses it elsewhere). Limits are then per IP. */
  public: boolean;
  rule: AccessRule;
  /** A hotkey's stake on the subnet, 0 when it is not registered. */
  stakeOf(ss58: string): number;
  guard: ReplayGuard;
  limits: RequestLimits;
  now?: () => number;
}

/**
 * The API's front door, shared by the HTTP routes and the WebSocket upgrade: signature (401), access (403),
 * rate limit (429). Returns the key requests are counted under (the ss58, or the IP in public mode).
 */
export class ApiGate {
  constructor(private readonly options: GateOptions) {}

  get isPublic(): boolean {
    return this.options.public;
  }

  admit(request: SignedRequest & { remoteAddress: string }): string {
    const { options } = this;
    let key: string;
    if (options.public) key = `ip:${request.remoteAddress}`;
    else {
      key = authenticate(request, options.guard, (options.now ?? Date.now)(), (origin) =>
        checkAccess(options.rule, origin, options.stakeOf),
      );
    }
    options.limits.take(key);
    return key;
  }

  /** Spends one rate-limit token of `key` (each RPC call on an admitted connection). */
  take(key: string): void {
    this.options.limits.take(key);
  }

  /** Published, read-only routes: no signature needed, rate-limited per IP. */
  admitOpen(remoteAddress: string): void {
    this.options.limits.take(`open:${remoteAddress}`);
  }

  /** An in-flight slot for `key`; call the result when done. */
  enter(key: string): () => void {
    return this.options.limits.enter(key);
  }
}
