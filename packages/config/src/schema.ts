import type { Option } from './option.js';

/** An app's options by flag name (without `--`). */
export type Schema = Record<string, Option>;

/** The loaded configuration: each flag's parsed value; `undefined` only for an option without a default. */
export type Values<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends Option<infer T, infer D>
    ? D extends true
      ? T
      : T | undefined
    : never;
};

/** Flags every app has; a schema may not declare them. */
export const BUILTIN_FLAGS = ['config', 'help'] as const;

/** `OMRON_WALLET_NAME` for `wallet.name`: the one env scheme (dots and dashes → `_`, upper case). */
export function envName(flag: string, prefix = 'OMRON_'): string {
  return `${prefix}${flag.replace(/[.-]/g, '_').toUpperCase()}`;
}

/** Flag (or alias) → the option's canonical flag name. */
export function flagIndex(schema: Schema): Map<string, string> {
  const index = new Map<string, string>();
  for (const [flag, option] of Object.entries(schema)) {
    for (const name of [flag, ...option.aliases]) {
      if ((BUILTIN_FLAGS as readonly string[]).includes(name)) {
        throw new TypeError(`config schema: --${name} is built in`);
      }
      if (index.has(name)) throw new TypeError(`config schema: flag --${name} is declared twice`);
      index.set(name, flag);
    }
  }
  return index;
}

/**
 * Every env var that sets `flag`, in the order they are read: `OMRON_<FLAG>`, the deprecated app prefixes
 * (`OMRON_MINER_<FLAG>`, also for the flag's old aliases), then the option's own (`BT_*`).
 */
export function envNamesOf(
  flag: string,
  option: Option,
  legacyPrefixes: readonly string[] = [],
): { name: string; deprecated: boolean }[] {
  const names = [{ name: envName(flag), deprecated: false }];
  for (const prefix of legacyPrefixes) {
    for (const f of [flag, ...option.aliases]) names.push({ name: envName(f, prefix), deprecated: true });
  }
  for (const name of option.env) names.push({ name, deprecated: false });
  return names;
}
