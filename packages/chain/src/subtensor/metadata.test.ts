import { TypeRegistry } from '@polkadot/types';
import { describe, expect, it } from 'vitest';
import { HAVE_FIXTURES, loadMetadata, SKIP_REASON } from '../test-support/fixtures.js';

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

describe.skipIf(!HAVE_FIXTURES)('recorded finney metadata', () => {
  it('decodes as v15 with the typed runtime APIs, calls, storage and constants the chain client uses', () => {
    const registry = new TypeRegistry();
    const metadata = loadMetadata(registry);
    registry.setMetadata(metadata);
    expect(metadata.version).toBe(15);
    const v15 = metadata.asV15;

    const api = (name: string) => v15.apis.find((a) => a.name.toString() === name);
    const method = (apiName: string, name: string) =>
      api(apiName)?.methods.find((m) => m.name.toString() === name);
    const outputType = (apiName: string, name: string) => {
      const m = method(apiName, name);
      return m ? registry.lookup.getTypeDef(m.output).type : undefined;
    };
    expect(outputType('NeuronInfoRuntimeApi', 'get_neurons_lite')).toMatch(/^Vec<.*NeuronInfoLite/);
    expect(outputType('NeuronInfoRuntimeApi', 'get_neuron_lite')).toMatch(/^Option<.*NeuronInfoLite/);
    expect(outputType('SubnetInfoRuntimeApi', 'get_subnet_state')).toMatch(/^Option<.*SubnetState/);
    expect(outputType('SubnetInfoRuntimeApi', 'get_subnet_hyperparams_v2')).toMatch(
      /^Option<.*SubnetHyperparamsV2/,
    );

    const pallet = v15.pallets.find((p) => p.name.toString() === 'SubtensorModule');
    expect(pallet?.index.toNumber()).toBe(7);
    const storage = pallet?.storage.unwrap().items.map((i) => i.name.toString()) ?? [];
    for (const item of [
      'Uids',
      'Axons',
      'Weights',
      'LastUpdate',
      'Tempo',
      'WeightsSetRateLimit',
      'MinAllowedWeights',
      'MaxWeightsLimit',
      'WeightsVersionKey',
      'CommitRevealWeightsEnabled',
      'RevealPeriodEpochs',
      'ServingRateLimit',
    ]) {
      expect(storage).toContain(item);
    }
    const calls = registry.lookup.getSiType(pallet?.calls.unwrap().type as never).def.asVariant.variants;
    const callIndex = (name: string) => calls.find((c) => c.name.toString() === name)?.index.toNumber();
    expect(callIndex('set_weights')).toBe(0);
    expect(callIndex('serve_axon')).toBe(4);
    expect(callIndex('commit_weights')).toBe(96);
    expect(callIndex('reveal_weights')).toBe(97);

    const aura = v15.pallets.find((p) => p.name.toString() === 'Aura');
    const slot = aura?.constants.find((c) => c.name.toString() === 'SlotDuration');
    expect(registry.createType('u64', slot?.value).toNumber()).toBe(12_000);
    const extensions = v15.extrinsic.signedExtensions.map((e) => e.identifier.toString());
    expect(extensions).toEqual(
      expect.arrayContaining([
        'CheckMortality',
        'CheckNonce',
        'ChargeTransactionPayment',
        'CheckMetadataHash',
      ]),
    );
  });
});
