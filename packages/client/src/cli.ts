// `omron`: the API client's command line. Everything it does is in the library; this parses flags and prints.
import { readFile } from 'node:fs/promises';
import { OmronError } from '@omron/core';
import { loadWallet } from '@omron/protocol';
import { OmronClient } from './client.js';
import { OmronClientError } from './errors.js';

const USAGE = `usage:
  omron infer --circuit <name|id> --input <file.json> [options]   a verified inference, checked locally too
  omron circuits [options]                                        the circuits the validator serves

options:
  --url <url>             the validator's API (default $OMRON_API_URL or http://127.0.0.1:8100)
  --wallet.name <name>    btcli wallet whose hotkey signs (default $BT_WALLET_NAME or default)
  --wallet.hotkey <name>  (default $BT_WALLET_HOTKEY or default)
  --wallet.path <dir>     (default $BT_WALLET_PATH or ~/.bittensor/wallets)
  --unsigned              send no signature (a validator serving --api.public on a local network)
  --srs.dir <dir>         real kzg{k}.srs files for local verification (default: the development SRS)
  --no-verify             skip local verification (the validator's word only)

The input file holds one array of numbers per model input ([[...]]), a single flat array, or { "inputs": [[...]] }.
Exit codes: 0 ok, 1 local verification failed, 2 usage, 3 refused by the API, 4 network or server failure.
`;

type Flags = Record<string, string | true>;

function parse(argv: readonly string[]): { verb: string | undefined; flags: Flags } {
  const flags: Flags = {};
  let verb: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) {
      if (verb === undefined) verb = arg;
      else throw new UsageError(`unexpected argument ${arg}`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (['unsigned', 'no-verify', 'help'].includes(name)) {
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { verb, flags };
}

/** A command line the CLI cannot run: printed with the usage, exit 2. */
class UsageError extends OmronError<'USAGE'> {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('USAGE', message);
  }
}

function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** `[[...]]`, `[...]` or `{ inputs: [[...]] }` → one array per model input. */
export function readInputs(json: unknown): number[][] {
  const value = (json as { inputs?: unknown })?.inputs ?? json;
  if (!Array.isArray(value)) throw new UsageError('the input file must hold an array or { "inputs": [...] }');
  return (value.every((v) => typeof v === 'number') ? [value] : value) as number[][];
}

async function client(flags: Flags): Promise<OmronClient> {
  const url = str(flags, 'url') ?? process.env.OMRON_API_URL ?? 'http://127.0.0.1:8100';
  const srsDir = str(flags, 'srs.dir');
  const verifier = srsDir ? { srsDir } : {};
  if (flags.unsigned) return new OmronClient({ url, verifier });
  const name = str(flags, 'wallet.name');
  const hotkey = str(flags, 'wallet.hotkey');
  const path = str(flags, 'wallet.path');
  const wallet = await loadWallet({
    ...(name ? { name } : {}),
    ...(hotkey ? { hotkey } : {}),
    ...(path ? { path } : {}),
  });
  return new OmronClient({ url, signer: wallet.hotkey, verifier });
}

export async function main(argv: readonly string[], out = process.stdout): Promise<number> {
  try {
    const { verb, flags } = parse(argv);
    if (flags.help || verb === undefined || verb === 'help') {
      out.write(USAGE);
      return verb === undefined && !flags.help ? 2 : 0;
    }
    if (verb === 'circuits') {
      const list = await (await client(flags)).circuits();
      out.write(`${JSON.stringify(list, null, 2)}\n`);
      return 0;
    }
    if (verb !== 'infer') throw new UsageError(`unknown command ${verb}`);
    const circuit = str(flags, 'circuit');
    const inputFile = str(flags, 'input');
    if (!circuit || !inputFile) throw new UsageError('infer needs --circuit and --input');
    let json: unknown;
    try {
      json = JSON.parse(await readFile(inputFile, 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read ${inputFile}: ${(err as Error).message}`);
    }
    const inputs = readInputs(json);
    const c = await client(flags);
    const answer = flags['no-verify']
      ? await c.infer(circuit, inputs)
      : await c.inferVerified(circuit, inputs);
    out.write(`${JSON.stringify(answer, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`omron: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    const code = (err as { code?: unknown }).code;
    process.stderr.write(`omron: ${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}\n`);
    if (err instanceof OmronClientError) {
      if (err.code === 'LOCAL_VERIFY_FAILED') return 1;
      if (err.status !== undefined && err.status < 500) return 3;
    }
    return 4;
  }
}
