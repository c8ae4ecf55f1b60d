import { describe, expect, it } from 'vitest';
import { decodeIp, encodeIp, validateAxonEndpoint } from './ip.js';

describe('ip encoding', () => {
  it('encodes IPv4 as its 32-bit integer and decodes it back', () => {
    expect(encodeIp('192.222.59.109')).toEqual({ ip: 3235789677n, ipType: 4 });
    expect(encodeIp('0.0.0.0')).toEqual({ ip: 0n, ipType: 4 });
    expect(decodeIp(3235789677n)).toBe('192.222.59.109');
    expect(decodeIp(0n)).toBe('0.0.0.0');
  });

  it('encodes IPv6 (compressed, full and v4-mapped) as a 128-bit integer and decodes it compressed', () => {
    const { ip, ipType } = encodeIp('2001:db8::1');
    expect(ipType).toBe(6);
    expect(ip).toBe((0x2001n << 112n) | (0xdb8n << 96n) | 1n);
    expect(encodeIp('2001:0db8:0000:0000:0000:0000:0000:0001').ip).toBe(ip);
    expect(decodeIp(ip)).toBe('2001:db8::1');
    expect(encodeIp('::ffff:1.2.3.4').ip).toBe((0xffffn << 32n) | 0x01020304n);
    expect(decodeIp(encodeIp('fe80:1:2:3:4:5:6:7').ip)).toBe('fe80:1:2:3:4:5:6:7');
  });

  it('rejects what the chain rejects, with stable codes', () => {
    expect(() => encodeIp('256.1.1.1')).toThrow(expect.objectContaining({ code: 'INVALID_IP' }));
    expect(() => validateAxonEndpoint('127.0.0.1', 80)).toThrow(
      expect.objectContaining({ code: 'INVALID_IP' }),
    );
    expect(() => validateAxonEndpoint('255.255.255.255', 80)).toThrow(
      expect.objectContaining({ code: 'INVALID_IP' }),
    );
    expect(() => validateAxonEndpoint('::1', 80)).toThrow(expect.objectContaining({ code: 'INVALID_IP' }));
    expect(() => validateAxonEndpoint('1.2.3.4', 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_PORT' }),
    );
    expect(() => validateAxonEndpoint('1.2.3.4', 65536)).toThrow(
      expect.objectContaining({ code: 'INVALID_PORT' }),
    );
    expect(validateAxonEndpoint('0.0.0.0', 8091)).toEqual({ ip: 0n, ipType: 4 }); // ip 0 is allowed (testing)
  });
});
