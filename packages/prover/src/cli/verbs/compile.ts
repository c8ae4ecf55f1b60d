import { writeAtomic } from '../../files.js';
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
} from '../options.js';
import { report, type Verb } from '../verb.js';

export const compileVerb: Verb = {
  name: 'compile',
  summary: 'compile an ONNX model; write its circuit settings JSON',
  help: `omron-prover compile --model FILE [--out SETTINGS.json] [options]

Compiles the model to a circuit and writes the settings (what a verifier needs besides
the verifying key and the SRS). With --slices, the settings file is a JSON array of the
slices' settings.

${MODEL_HELP}
  --out FILE            write the settings JSON here (default: print a summary only)
${COMMON_HELP}`,
  async run(args, io) {
    const values = parse(args, { ...COMMON, ...MODEL, out: { type: 'string' } });
    const loaded = await loadModelOrSlices(values);
    if (loaded instanceof SlicedModel) {
      if (typeof values.out === 'string') await writeAtomic(values.out, chainSettingsJson(loaded));
      const slices = loaded.slices.map((m) => ({
        modelHash: m.modelHash,
        k: m.settings.k,
        rows: m.settings.rows,
      }));
      report(
        io,
        values.json === true,
        {
          modelHash: loaded.modelHash,
          slices,
          boundaries: loaded.boundaryLengths,
          settings: values.out ?? null,
        },
        `model ${loaded.modelHash} in ${slices.length} slices\n${slices.map((s, i) => `slice ${i}: k=${s.k} rows=${s.rows}`).join('\n')}\nboundary values ${JSON.stringify(loaded.boundaryLengths)}`,
      );
      return EXIT.ok;
    }
    const model = loaded;
    if (typeof values.out === 'string') await writeAtomic(values.out, model.settings.json);
    const s = model.settings;
    const summary = {
      modelHash: s.modelHash,
      k: s.k,
      rows: s.rows,
      inputShapes: s.inputShapes,
      outputShapes: s.outputShapes,
      scales: s.scales,
      settings: values.out ?? null,
    };
    report(
      io,
      values.json === true,
      summary,
      `model ${s.modelHash}\nk=${s.k} rows=${s.rows} inputs=${JSON.stringify(s.inputShapes)} outputs=${JSON.stringify(s.outputShapes)}`,
    );
    return EXIT.ok;
  },
};
