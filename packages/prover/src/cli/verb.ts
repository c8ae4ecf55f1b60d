import type { CliIo } from './io.js';

/** One `omron-prover` sub-command. */
export interface Verb {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(args: string[], io: CliIo, signal: AbortSignal): Promise<number>;
}

/** Prints `data` as JSON, or `text` for people. */
export function report(io: CliIo, json: boolean, data: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(data)}\n` : `${text}\n`);
}
