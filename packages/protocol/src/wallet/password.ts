import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ProtocolError } from '../errors.js';

/**
 * btwallet's environment variable for a keyfile password: `BT_PW_` + the keyfile path with
 * `/` and `.` replaced by `_`, upper-cased.
 */
export function passwordEnvVarName(keyfilePath: string): string {
  return `BT_PW_${keyfilePath.replaceAll('/', '_').replaceAll('.', '_').toUpperCase()}`;
}

/** XOR with the repeated variable name: btwallet's (obfuscation-only) env encoding, symmetric. */
function xorWithName(data: Uint8Array, name: string): Buffer {
  const key = Buffer.from(name, 'utf8');
  return Buffer.from(data.map((byte, i) => byte ^ key[i % key.length]!));
}

/** Encodes a password the way `Keyfile.save_password_to_env` does: base64(XOR(password, name)). */
export function encodeEnvPassword(password: string, envVarName: string): string {
  return xorWithName(Buffer.from(password, 'utf8'), envVarName).toString('base64');
}

/** Reads the `BT_PW_*` password for a keyfile, or undefined when the variable is unset. */
export function passwordFromEnv(
  keyfilePath: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const name = passwordEnvVarName(keyfilePath);
  const encoded = env[name];
  if (encoded === undefined) return undefined;
  return xorWithName(Buffer.from(encoded, 'base64'), name).toString('utf8');
}

/** Asks on the terminal without echoing; refuses when stdin is not a TTY (services, CI). */
export async function promptPassword(keyfilePath: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new ProtocolError(
      'KEYFILE_PASSWORD_REQUIRED',
      `keyfile ${keyfilePath} is encrypted: pass a password or set ${passwordEnvVarName(keyfilePath)}`,
    );
  }
  process.stderr.write(`Password for ${keyfilePath}: `);
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
