import type * as Binding from '../binding.cjs';
import { ProverError } from './errors.js';

/** Fixed-point scales (powers of two) of a compiled model. */
export interface Scales {
  readonly input: number;
  readonly param: number;
  readonly output: number;
}

/** How `calibrate` chose a model's options (`settings.calibration`; the generated binding type). */
export type Calibration = Readonly<Binding.Calibration>;

function calibrationFrom(raw: unknown): Calibration | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = raw as Record<string, number>;
  return {
    samples: c.samples as number,
    margin: c.margin as number,
    lutAbsMax: c.lut_abs_max as number,
    valueAbsMax: c.value_abs_max as number,
    maxError: c.max_error as number,
    fidelityBound: c.fidelity_bound as number,
  };
}

/**
 * Circuit settings of a compiled model: what a verifier needs besides the verifying key and
 * the SRS. `json` is the canonical, versioned file content; the other fields are a typed view.
 */
export class ModelSettings {
  readonly formatVersion: number;
  readonly modelHash: string;
  /** log2 of the number of circuit rows; the SRS must have at least this k. */
  readonly k: number;
  readonly rows: number;
  readonly scales: Scales;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
  /** Largest |input| accepted, in real units. */
  readonly maxAbsInput: number;
  /** Present when the options came from `calibrate`. */
  readonly calibration?: Calibration;

  private constructor(
    readonly json: string,
    raw: Record<string, unknown>,
  ) {
    this.formatVersion = raw.format_version as number;
    this.modelHash = raw.model_hash as string;
    this.k = raw.k as number;
    this.rows = raw.rows as number;
    this.scales = raw.scales as Scales;
    this.inputShapes = raw.input_shapes as number[][];
    this.outputShapes = raw.output_shapes as number[][];
    this.maxAbsInput = raw.max_abs_input as number;
    const calibration = calibrationFrom(raw.calibration);
    if (calibration !== undefined) this.calibration = calibration;
  }

  /** Parses settings JSON (as written by `compile`); `BAD_SETTINGS` when it is not. */
  static parse(json: string): ModelSettings {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (error) {
      throw new ProverError('BAD_SETTINGS', 'settings are not valid JSON', { cause: error });
    }
    const r = raw as Record<string, unknown> | null;
    const ok =
      typeof r === 'object' &&
      r !== null &&
      typeof r.model_hash === 'string' &&
      typeof r.k === 'number' &&
      Array.isArray(r.input_shapes) &&
      Array.isArray(r.output_shapes) &&
      typeof r.scales === 'object';
    if (!ok) throw new ProverError('BAD_SETTINGS', 'settings JSON lacks the circuit fields');
    return new ModelSettings(json, r);
  }

  /** Number of elements of each model input. */
  get inputLengths(): number[] {
    return this.inputShapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  }
}
