import {
  ChainVerifier,
  type CompiledModel,
  compileModel,
  compileSlices,
  developmentSrs,
  encodeBundle,
  ModelSettings,
  Prover,
  ProvingKey,
  quantizeInputs,
  readSrs,
  type Srs,
  setup,
  Verifier,
  VerifyingKey,
} from '@omron/prover';
import type { CircuitSettings, CompiledModelHandle, ProverBackend, SrsHandle } from './backend.js';

interface NativeCompiled extends CompiledModelHandle {
  readonly model: CompiledModel;
}

interface NativeSrs extends SrsHandle {
  readonly srs: Srs;
}

/** The real backend over `@omron/prover` (napi addon; every heavy call runs off the JS thread). */
export const nativeBackend: ProverBackend = {
  async compile(onnx, options) {
    const model = await compileModel(onnx, options);
    const settings = JSON.parse(model.settings.json) as CircuitSettings;
    return { model, settings, settingsJson: model.settings.json } satisfies NativeCompiled;
  },
  async developmentSrs(k, cacheDir, onCache) {
    const srs = await developmentSrs(k, { cacheDir, onCache });
    return { srs, k: srs.k, insecure: srs.isInsecure } satisfies NativeSrs;
  },
  async loadSrs(bytes, k) {
    let srs = await readSrs(bytes);
    if (srs.k > k) srs = srs.downsize(k);
    return { srs, k: srs.k, insecure: srs.isInsecure } satisfies NativeSrs;
  },
  async setup(model, srs) {
    const keys = await setup((model as NativeCompiled).model, (srs as NativeSrs).srs);
    return { provingKey: await keys.provingKey.toBytes(), verifyingKey: keys.verifyingKey.toBytes() };
  },
  async openProver(model, provingKey, srs) {
    const compiled = (model as NativeCompiled).model;
    const prover = await Prover.create(
      compiled,
      await ProvingKey.fromBytes(provingKey, compiled),
      (srs as NativeSrs).srs,
    );
    return {
      async prove(inputs, options = {}) {
        return prover.prove(inputs, options);
      },
      async proveSlice(inputs, options = {}) {
        const r = await prover.proveSlice(inputs, options);
        return {
          proof: r.proof,
          publicInputs: { inputs: r.publicInputs.inputs, outputs: r.publicInputs.outputs },
          outputs: r.outputs,
          timings: { witnessMs: r.timings.witnessMs, proveMs: r.timings.proveMs },
        };
      },
    };
  },
  async openVerifier(model, verifyingKey, srs) {
    const settings = ModelSettings.parse(model.settingsJson);
    const verifier = Verifier.create(
      VerifyingKey.fromBytes(verifyingKey, settings),
      settings,
      (srs as NativeSrs).srs,
    );
    return { verify: (proof, pub) => verifier.verify(proof, pub) };
  },
  async compileSlices(onnx, options, slices) {
    const sliced = await compileSlices(onnx, { ...options, slices });
    const handles = sliced.slices.map(
      (model) =>
        ({
          model,
          settings: JSON.parse(model.settings.json) as CircuitSettings,
          settingsJson: model.settings.json,
        }) satisfies NativeCompiled,
    );
    return {
      modelHash: sliced.modelHash,
      slices: handles,
      forward: (inputs) => sliced.forward(inputs).map((v) => ({ inputs: v.inputs, outputs: v.outputs })),
    };
  },
  async openChainVerifier(slices, verifyingKeys, srs) {
    const settings = slices.map((s) => ModelSettings.parse(s.settingsJson));
    const keys = verifyingKeys.map((vk, i) => VerifyingKey.fromBytes(vk, settings[i]!));
    const verifier = ChainVerifier.create(keys, settings, (srs as NativeSrs).srs);
    return { verify: (chain, claim) => verifier.verify(chain, claim) };
  },
  encodeKeyBundle: (parts) => encodeBundle(parts),
  quantizeInputs(settings, inputs) {
    return quantizeInputs(ModelSettings.parse(JSON.stringify(settings)), inputs);
  },
};
