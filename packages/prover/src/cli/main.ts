import { ProverError } from '../errors.js';
import { type CliIo, EXIT, UsageError } from './io.js';
import type { Verb } from './verb.js';
import { benchVerb } from './verbs/bench.js';
import { calibrateVerb } from './verbs/calibrate.js';
import { compileVerb } from './verbs/compile.js';
import { proveVerb } from './verbs/prove.js';
import { setupVerb } from './verbs/setup.js';
import { srsVerb } from './verbs/srs.js';
import { verifyVerb } from './verbs/verify.js';

const VERBS: readonly Verb[] = [
  compileVerb,
  calibrateVerb,
  setupVerb,
  proveVerb,
  verifyVerb,
  benchVerb,
  srsVerb,
];

const USAGE = `omron-prover <verb> [options]   (omron-prover <verb> --help for details)

${VERBS.map((v) => `  ${v.name.padEnd(10)} ${v.summary}`).join('\n')}

Exit codes: 0 ok, 1 proof invalid, 2 usage, 3 bad input (model, inputs, keys, proof,
settings, SRS), 4 proving failure or internal error, 5 file I/O, 130 interrupted.`;

function exitCodeOf(error: ProverError): number {
  switch (error.code) {
    case 'CANCELLED':
      return EXIT.aborted;
    case 'PROVING_FAILED':
    case 'INTERNAL':
      return EXIT.failure;
    case 'IO_ERROR':
      return EXIT.io;
    default:
      return EXIT.badInput;
  }
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Errors
 * print `error CODE: message` on stderr, or `{ "error": { code, message } }` on stdout
 * with --json.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (verb === undefined) {
    io.stderr(`unknown verb "${name}"\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${verb.help}\n`);
    return EXIT.ok;
  }
  const json = args.includes('--json');
  try {
    return await verb.run(args, io, signal);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${verb.help}\n`);
      return EXIT.usage;
    }
    const e =
      error instanceof ProverError ? error : new ProverError('INTERNAL', String(error), { cause: error });
    if (json) io.stdout(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
    else io.stderr(`error ${e.code}: ${e.message}\n`);
    return exitCodeOf(e);
  }
}
