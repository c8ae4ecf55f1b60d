import { encodeBundle } from '../../chain.js';
import { writeAtomic } from '../../files.js';
import { setup } from '../../keys.js';
import { SlicedModel } from '../../slices.js';
import { EXIT } from '../io.js';
import {
  COMMON,
  COMMON_HELP,
  chainSettingsJson,
  loadModelOrSlices,
  MODEL,
  MODEL_HELP,
  parse,
  required,
  SRS,
  SRS_HELP,
  srsFor,
} from '../options.js';
import { ProgressBar } from '../progress.js';
import { report, type Verb } from '../verb.js';

export const setupVerb: Verb = {
  name: 'setup',
  summary: 'generate the proving and verifying keys',
  help: `omron-prover setup --model FILE (--srs FILE | --dev-srs) --pk OUT --vk OUT [--settings OUT]

${MODEL_HELP}
${SRS_HELP}
  --pk FILE             write the proving key here
  --vk FILE             write the verifying key here
  --settings FILE       also write the settings JSON
  (with --slices: each file holds every slice's key, in chain order; settings are an array)
${COMMON_HELP}`,
  async run(args, io) {
    const values = parse(args, {
      ...COMMON,
      ...MODEL,
      ...SRS,
      pk: { type: 'string' },
      vk: { type: 'string' },
      settings: { type: 'string' },
    });
    const pkPath = required(values, 'pk');
    const vkPath = required(values, 'vk');
    const bar = new ProgressBar(io, io.interactive && values.json !== true);
    const loaded = await loadModelOrSlices(values);
    if (loaded instanceof SlicedModel) {
      const k = Math.max(...loaded.slices.map((s) => s.settings.k));
      const srs = await bar.during('srs', srsFor(values, k));
      const started = performance.now();
      const keys = await bar.during('keygen', Promise.all(loaded.slices.map((s) => setup(s, srs))));
      const keygenMs = performance.now() - started;
      await writeAtomic(pkPath, encodeBundle(await Promise.all(keys.map((p) => p.provingKey.toBytes()))));
      await writeAtomic(vkPath, encodeBundle(keys.map((p) => p.verifyingKey.toBytes())));
      if (typeof values.settings === 'string') await writeAtomic(values.settings, chainSettingsJson(loaded));
      report(
        io,
        values.json === true,
        {
          modelHash: loaded.modelHash,
          slices: keys.length,
          k,
          keygenMs,
          pk: pkPath,
          vk: vkPath,
          insecureSrs: srs.isInsecure,
        },
        `keys for ${loaded.modelHash} in ${keys.length} slices (k<=${k}) in ${keygenMs.toFixed(0)} ms${srs.isInsecure ? ' [INSECURE development SRS]' : ''}`,
      );
      return EXIT.ok;
    }
    const model = loaded;
    const srs = await bar.during('srs', srsFor(values, model.settings.k));
    const started = performance.now();
    const keys = await bar.during('keygen', setup(model, srs));
    const keygenMs = performance.now() - started;
    await keys.provingKey.save(pkPath);
    await keys.verifyingKey.save(vkPath);
    if (typeof values.settings === 'string') await writeAtomic(values.settings, model.settings.json);
    report(
      io,
      values.json === true,
      {
        modelHash: model.modelHash,
        k: model.settings.k,
        keygenMs,
        pk: pkPath,
        vk: vkPath,
        insecureSrs: srs.isInsecure,
      },
      `keys for ${model.modelHash} (k=${model.settings.k}) in ${keygenMs.toFixed(0)} ms${srs.isInsecure ? ' [INSECURE development SRS]' : ''}`,
    );
    return EXIT.ok;
  },
};
