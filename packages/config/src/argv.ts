import { ConfigError } from './errors.js';
import { isBooleanWord } from './option.js';
import type { Schema } from './schema.js';

/** What the command line says: values by canonical flag, `--config`, `--help`, deprecated spellings used. */
export interface ParsedArgv {
  flags: Map<string, string>;
  configFile: string | undefined;
  help: boolean;
  /** Deprecated aliases met, as `[alias, flag]`. */
  aliasesUsed: [string, string][];
}

/**
 * Reads `--name value`, `--name=value` and switches (`--x` alone; `--x false`). `--` separators (what
 * `pnpm start -- …` passes through) are skipped. An unknown flag or a positional argument is `UNKNOWN_FLAG`;
 * the message names the flag (never a value) and the closest known flag.
 */
export function parseArgv(
  argv: readonly string[],
  schema: Schema,
  index: Map<string, string>,
  usageLine: string,
): ParsedArgv {
  const out: ParsedArgv = { flags: new Map(), configFile: undefined, help: false, aliasesUsed: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      // The argument itself is not echoed: a stray one may be a password typed in the wrong place.
      throw new ConfigError(
        'UNKNOWN_FLAG',
        `unexpected argument ${i + 1} (not a --flag): settings are written --name value\n${usageLine}`,
      );
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const flag = name === 'config' ? 'config' : index.get(name);
    if (flag === undefined) {
      const near = closest(name, [...index.keys(), 'config', 'help']);
      throw new ConfigError(
        'UNKNOWN_FLAG',
        `unknown flag --${name}${near ? ` (did you mean --${near}?)` : ''}\n${usageLine}`,
      );
    }
    if (flag !== name) out.aliasesUsed.push([name, flag]);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (schema[flag]?.kind === 'boolean') {
      const next = argv[i + 1];
      value = next !== undefined && isBooleanWord(next) ? argv[++i]! : 'true';
    } else {
      const next = argv[i + 1];
      // `--netuid --wallet.name x`: the value is missing, not "--wallet.name".
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new ConfigError('INVALID_CONFIG', `--${name} needs a value`, {
          issues: [{ flag, message: 'needs a value', source: 'flag' }],
        });
      }
      value = next;
      i++;
    }
    if (flag === 'config') out.configFile = value;
    else out.flags.set(flag, value);
  }
  return out;
}

/** The known name nearest to a typo (edit distance ≤ 2, or ≤ a third of its length), if any. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
