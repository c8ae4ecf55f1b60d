import { describe, expect, it } from 'vitest';
import { isProtocolError } from './errors.js';
import { parseSynapseHeaders, synapseToHeaders } from './headers.js';
import { createSynapse } from './synapse.js';
import { QueryZkProofDefinition } from './synapses.js';
import { EchoDefinition } from './test-support.js';

describe('parseSynapseHeaders', () => {
  it('reads a captured Python-dendrite header set (SDK 7.2, aiohttp)', () => {
    const parsed = parseSynapseHeaders({
      name: 'QueryZkProof',
      timeout: '12.0',
      bt_header_axon_ip: '1.2.3.4',
      bt_header_axon_port: '8091',
      bt_header_axon_hotkey: '5Axon',
      bt_header_dendrite_ip: '5.6.7.8',
      bt_header_dendrite_version: '7002000',
      bt_header_dendrite_nonce: '1718696917604843264',
      bt_header_dendrite_uuid: '6e2b1d14-2c9b-11ef-9b9c-0242ac110002',
      bt_header_dendrite_hotkey: '5Dendrite',
      bt_header_dendrite_signature: '0xabc',
      bt_header_input_obj_text: 'IiI=',
      header_size: '640',
      total_size: '3462',
      computed_body_hash: 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
      'Content-Type': 'application/json',
    });
    expect(parsed.name).toBe('QueryZkProof');
    expect(parsed.timeout).toBe(12);
    expect(parsed.dendrite.nonce).toBe(1718696917604843264n);
    expect(parsed.dendrite.version).toBe(7002000);
    expect(parsed.axon.port).toBe(8091);
    expect(parsed.inputObjects).toEqual({ text: '' });
    expect(parsed.computedBodyHash).toMatch(/^a7ff/);
  });

  it('treats absent values as None and rejects non-numeric numbers with HEADERS_INVALID', () => {
    const parsed = parseSynapseHeaders(new Headers({ name: 'X' }));
    expect(parsed.timeout).toBeNull();
    expect(parsed.dendrite.nonce).toBeNull();
    expect(parsed.computedBodyHash).toBeNull();
    for (const bad of [
      { timeout: 'soon' },
      { bt_header_axon_port: '80a' },
      { bt_header_dendrite_nonce: '1e9' },
    ]) {
      let err: unknown;
      try {
        parseSynapseHeaders(bad);
      } catch (e) {
        err = e;
      }
      expect(isProtocolError(err, 'HEADERS_INVALID')).toBe(true);
    }
  });

  it('ignores header names that would reach an object prototype', () => {
    const parsed = parseSynapseHeaders({
      bt_header_input_obj___proto__: Buffer.from('{"hotkey":"x"}').toString('base64'),
      bt_header_dendrite___proto__: 'x',
    });
    expect(Object.getPrototypeOf(parsed.inputObjects)).toBe(Object.prototype);
    expect(parsed.dendrite.hotkey).toBeNull();
  });
});

describe('synapseToHeaders', () => {
  it('round-trips through parseSynapseHeaders and keeps header values printable ASCII', () => {
    const synapse = createSynapse(QueryZkProofDefinition, {
      axon: {
        ...createSynapse(QueryZkProofDefinition).axon!,
        status_code: 400,
        status_message: 'bad ✖ input\nline',
        process_time: 0.25,
      },
    });
    const headers = synapseToHeaders(QueryZkProofDefinition, synapse, 'h');
    expect(headers.bt_header_axon_status_message).toBe('bad ? input?line');
    expect(headers.bt_header_axon_process_time).toBe('0.25');
    expect(headers.bt_header_dendrite_nonce).toBeUndefined();
    const back = parseSynapseHeaders(headers);
    expect(back.axon.status_code).toBe(400);
    expect(back.computedBodyHash).toBe('h');
  });

  it('encodes required-field dummies like json.dumps(type(value)())', () => {
    const headers = synapseToHeaders(
      EchoDefinition,
      createSynapse(EchoDefinition, { text: 'x', values: [] }),
      'h',
    );
    expect(headers.bt_header_input_obj_text).toBe('IiI=');
    expect(headers.bt_header_input_obj_values).toBe('W10=');
  });
});
