import { isIPv4, isIPv6 } from 'node:net';
import { ChainError } from './errors.js';

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;

/** An IP as the chain stores it: `ip` is a u128, `ipType` is 4 or 6. */
export interface EncodedIp {
  ip: bigint;
  ipType: 4 | 6;
}

/** Encodes dotted IPv4 or IPv6 text the way the SDK's `ip_to_int` does (integer value of the address). */
export function encodeIp(text: string): EncodedIp {
  if (isIPv4(text)) {
    const ip = text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { ip, ipType: 4 };
  }
  if (isIPv6(text)) return { ip: ipv6ToBigInt(text), ipType: 6 };
  throw new ChainError('INVALID_IP', `not an IPv4 or IPv6 address: ${JSON.stringify(text)}`);
}

/** Decodes a chain ip. Like the SDK, values below 2^32 render as IPv4 whatever `ip_type` says. */
export function decodeIp(ip: bigint): string {
  if (ip <= U32_MAX) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip >> shift) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((ip >> shift) & 0xffffn).toString(16));
  return compressIpv6(groups);
}

/**
 * Applies the chain's `serve_axon` checks (`subnets/serving.rs`) so a bad endpoint fails here with a clear
 * error instead of an opaque `Custom error: 11/13` from the pool.
 */
export function validateAxonEndpoint(ipText: string, port: number): EncodedIp {
  const encoded = encodeIp(ipText);
  const { ip, ipType } = encoded;
  if (ipType === 4 && (ip >= U32_MAX || ip === 0x7f00_0001n)) {
    throw new ChainError('INVALID_IP', `the chain rejects IPv4 ${ipText} (loopback or broadcast)`);
  }
  if (ipType === 6 && (ip === 1n || ip === U128_MAX)) {
    throw new ChainError('INVALID_IP', `the chain rejects IPv6 ${ipText} (loopback or all-ones)`);
  }
  if (!Number.isInteger(port) || port <= 0 || port > 0xffff) {
    throw new ChainError('INVALID_PORT', `port must be an integer in 1..65535, got ${port}`);
  }
  return encoded;
}

function ipv6ToBigInt(text: string): bigint {
  let address = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4Tail = address.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4Tail?.[1]) {
    const v4 = encodeIp(v4Tail[1]).ip;
    address = `${address.slice(0, -v4Tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}
