//! Calibration: from sample inputs, choose the fixed-point scales and lookup ranges that
//! keep outputs within a fidelity bound of the float model and give the smallest circuit.

use crate::compile::{compile, floor_k, lower_with, prover_cost, CompileOptions};
use crate::error::{bad_model, Error, ErrorCode};
use crate::forward::{evaluate, evaluate_observed, quantize_checked};
use crate::ir::{ActKind, Program};
use crate::quant::dequantize;
use crate::requant::OutOfRange;
use crate::settings::Calibration;
use crate::table::LookupSpec;
use tract_onnx::prelude::*;

/// What [`calibrate`] searches over and the bounds it must keep.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationOptions {
    /// Starting options: the largest scales tried and the layout width limit.
    pub base: CompileOptions,
    /// Smallest input/param scale tried (scales go from `base.input_scale` down).
    pub min_scale: u32,
    /// Observed value ranges are widened by this factor (≥ 1) before sizing tables.
    pub margin: f64,
    /// Largest accepted |circuit output − float output| over the samples.
    pub fidelity_bound: f64,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        CalibrationOptions {
            base: CompileOptions::default(),
            min_scale: 10,
            margin: 2.0,
            fidelity_bound: 1e-2,
        }
    }
}

/// Largest |x| (real units) entering table functions and other requantizations when
/// the integer program runs on `inputs`, with no range limit.
fn observe(
    prog: &Program,
    spec: &LookupSpec,
    st: u32,
    inputs: &[i64],
) -> Result<(f64, f64), Error> {
    let (mut lut, mut val) = (0f64, 0f64);
    evaluate_observed(prog, spec, inputs, OutOfRange::Allow, |kind, q| {
        let real = (q as f64 / f64::from(1u32 << st)).abs();
        match kind {
            ActKind::Lut(_) => lut = lut.max(real),
            ActKind::Identity | ActKind::Relu => val = val.max(real),
        }
    })?;
    Ok((lut, val))
}

fn bits_for(abs_max: f64, margin: f64, scale_bits: i32) -> u32 {
    let steps = (abs_max * margin * 2f64.powi(scale_bits)).max(1.0);
    1 + steps.log2().ceil() as u32
}

/// Float reference outputs (tract) for every sample.
fn float_outputs(
    onnx: &[u8],
    shapes: &[Vec<usize>],
    samples: &[Vec<Vec<f64>>],
) -> Result<Vec<Vec<f64>>, Error> {
    let fail = |e: TractError| bad_model(format!("cannot run the float model: {e}"));
    let mut model = tract_onnx::onnx()
        .model_for_read(&mut &onnx[..])
        .map_err(fail)?;
    for (i, s) in shapes.iter().enumerate() {
        model = model
            .with_input_fact(i, f32::fact(s).into())
            .map_err(fail)?;
    }
    let runnable = model
        .into_optimized()
        .and_then(|m| m.into_runnable())
        .map_err(fail)?;
    samples
        .iter()
        .map(|sample| {
            let inputs: TVec<TValue> = sample
                .iter()
                .zip(shapes)
                .map(|(x, s)| {
                    let data: Vec<f32> = x.iter().map(|&v| v as f32).collect();
                    Tensor::from_shape(s, &data).map(|t| t.into())
                })
                .collect::<TractResult<_>>()
                .map_err(fail)?;
            let out = runnable.run(inputs).map_err(fail)?;
            let mut flat = Vec::new();
            for t in out {
                let t = t.cast_to::<f32>().map_err(fail)?;
                flat.extend(
                    t.to_plain_array_view::<f32>()
                        .map_err(fail)?
                        .iter()
                        .map(|&x| f64::from(x)),
                );
            }
            Ok(flat)
        })
        .collect()
}

/// A candidate that keeps the fidelity bound.
struct Passing {
    options: CompileOptions,
    error: f64,
    table_len: usize,
    floor_k: u32,
}

/// Calibrates `onnx` on `samples` (one `Vec` per model input, per sample): measures the
/// value ranges entering lookups and rescales, widens them by `margin`, and searches
/// scales (from `base.input_scale` down to `min_scale`) and lookup resolutions for the
/// cheapest circuit (smallest estimated prover cost: rows × committed columns, which
/// usually means the smallest k) whose outputs stay within `fidelity_bound` of the
/// float model on every sample (ties: smallest error). Candidates are checked on the
/// integer forward pass alone (no layout); the layout is built once, for the candidate
/// with the smallest table — the options change the table, not the number of rows, so
/// the other candidates' k is max(that layout's k, their table's). Returns options for
/// [`compile`] carrying the [`Calibration`], which compile copies into the settings.
/// Inputs whose values leave the calibrated ranges fail at witness time with
/// `INPUT_OUT_OF_RANGE`.
pub fn calibrate(
    onnx: &[u8],
    samples: &[Vec<Vec<f64>>],
    options: &CalibrationOptions,
) -> Result<CompileOptions, Error> {
    let o = options;
    if samples.is_empty()
        || o.margin.is_nan()
        || o.margin < 1.0
        || o.fidelity_bound.is_nan()
        || o.fidelity_bound <= 0.0
        || o.min_scale == 0
    {
        return Err(Error::new(
            ErrorCode::BadSettings,
            "calibration needs samples, margin >= 1, a positive bound and min_scale >= 1",
        ));
    }
    let probe = CompileOptions {
        lookup_bits: 16,
        calibration: None,
        ..o.base.clone()
    };
    let (wide, wide_spec) = lower_with(onnx, &probe)?;
    let (mut lut_max, mut val_max) = (0f64, 0f64);
    for sample in samples {
        let q: Vec<i64> = quantize_checked(&wide.input_shapes, &probe, sample)?.concat();
        let (l, v) = observe(&wide.program, &wide_spec, probe.input_scale, &q)?;
        lut_max = lut_max.max(l);
        val_max = val_max.max(v);
    }
    let floats = float_outputs(onnx, &wide.input_shapes, samples)?;
    let has_lut = !wide_spec.functions.is_empty();
    let instances = wide.program.input_len + wide.program.outputs.len();
    drop(wide);
    let mut passing = Vec::new();
    for st in (o.min_scale.min(o.base.input_scale)..=o.base.input_scale).rev() {
        let sp = st + o.base.param_scale.saturating_sub(o.base.input_scale);
        let lookup_scales: Vec<u32> = if has_lut {
            (4..=st.min(12)).collect()
        } else {
            vec![0]
        };
        for ls in lookup_scales {
            let bits = bits_for(val_max, o.margin, st as i32 - sp as i32)
                .max(if has_lut {
                    bits_for(lut_max, o.margin, ls as i32)
                } else {
                    0
                })
                .max(4);
            if bits > 16 {
                continue;
            }
            let opts = CompileOptions {
                input_scale: st,
                param_scale: sp,
                lookup_scale: ls,
                lookup_bits: bits,
                max_width: o.base.max_width,
                challenge_checks: o.base.challenge_checks,
                act_groups: o.base.act_groups,
                calibration: None,
            };
            let Ok((lowered, spec)) = lower_with(onnx, &opts) else {
                continue;
            };
            if spec.range_widths.iter().any(|&w| w > 20) {
                continue;
            }
            let Some(error) = max_error(&lowered, &spec, &opts, samples, &floats) else {
                continue;
            };
            if error <= o.fidelity_bound * HEADROOM {
                let table_len = spec.len();
                passing.push(Passing {
                    options: opts,
                    error,
                    table_len,
                    floor_k: floor_k(table_len, instances),
                });
            }
        }
    }
    passing.sort_by(|a, b| {
        a.table_len
            .cmp(&b.table_len)
            .then(a.error.total_cmp(&b.error))
    });
    let no_fit = || {
        Error::new(
            ErrorCode::BadSettings,
            format!(
                "no scales keep the outputs within {} of the float model",
                o.fidelity_bound
            ),
        )
    };
    // One layout, of the smallest-table candidate that compiles.
    let mut layout = None;
    for p in &passing {
        if let Ok(m) = compile(onnx, &p.options) {
            let c = &m.settings().columns;
            layout = Some((m.settings().k, c.width, c.phase2 > 0, c.act_groups));
            break;
        }
    }
    let (k_rows, width, phase2, groups) = layout.ok_or_else(no_fit)?;
    let estimate = |p: &Passing| prover_cost(k_rows.max(p.floor_k), width, phase2, groups);
    let best = passing
        .iter()
        .filter(|p| p.floor_k <= 26)
        .min_by(|a, b| {
            estimate(a)
                .total_cmp(&estimate(b))
                .then(a.error.total_cmp(&b.error))
        })
        .ok_or_else(no_fit)?;
    let mut chosen = best.options.clone();
    chosen.calibration = Some(Calibration {
        samples: samples.len(),
        margin: o.margin,
        lut_abs_max: lut_max,
        value_abs_max: val_max,
        max_error: best.error,
        fidelity_bound: o.fidelity_bound,
    });
    Ok(chosen)
}

/// Share of the fidelity bound the samples' largest error may use: the maximum over a
/// few samples underestimates the maximum over unseen inputs (a calibrated Omron-shaped
/// LSTM at 0.9 of the bound on 32 samples exceeded it on unseen ones).
const HEADROOM: f64 = 0.8;

/// Largest |integer forward pass − float| over the samples, or `None` when a sample
/// leaves the candidate's ranges.
fn max_error(
    lowered: &crate::onnx::Lowered,
    spec: &LookupSpec,
    options: &CompileOptions,
    samples: &[Vec<Vec<f64>>],
    floats: &[Vec<f64>],
) -> Option<f64> {
    let mut worst = 0f64;
    for (sample, expected) in samples.iter().zip(floats) {
        let q: Vec<i64> = quantize_checked(&lowered.input_shapes, options, sample)
            .ok()?
            .concat();
        let values = evaluate(&lowered.program, spec, &q).ok()?;
        let got = lowered
            .program
            .outputs
            .iter()
            .map(|&id| dequantize(values[id], options.input_scale));
        for (g, e) in got.zip(expected) {
            worst = worst.max((g - e).abs());
        }
    }
    Some(worst)
}
