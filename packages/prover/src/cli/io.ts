import { OMRON_ERROR } from '../errors.js';

/** Where the CLI writes: injectable so tests run verbs in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

/** Exit codes; scripts may rely on them. */
export const EXIT = {
  ok: 0,
  /** `verify`: the proof is not valid for these public inputs. */
  invalidProof: 1,
  /** Bad command line. */
  usage: 2,
  /** Bad input data: model, inputs, keys, proof, settings or SRS (a typed `code` is printed). */
  badInput: 3,
  /** Proving failed or an internal error. */
  failure: 4,
  /** A file could not be read or written. */
  io: 5,
  /** Interrupted (SIGINT). */
  aborted: 130,
} as const;

/** A command-line mistake (exit code 2); code `USAGE` under the project's error contract (see `ProverError`). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly [OMRON_ERROR] = true;
  readonly code = 'USAGE';
  readonly httpStatus: number | undefined = undefined;
}
