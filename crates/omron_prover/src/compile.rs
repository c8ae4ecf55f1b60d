//! ONNX bytes → [`CompiledModel`]: lowering, lookup table, layout and settings.

use crate::circuit::{CircuitParams, FixedPart};
use crate::error::{Error, ErrorCode};
use crate::ir::Program;
use crate::layout::{build, fixed_columns, max_groups, Grid, PHASE2_COLUMNS};
use crate::settings::{
    Calibration, Columns, Scales, Settings, CIRCUIT_LAYOUT_REVISION, SETTINGS_FORMAT_VERSION,
};
use crate::table::LookupSpec;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Rows at the end of the circuit reserved for blinding factors.
const RESERVED_ROWS: usize = 10;

/// Quantization and layout options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompileOptions {
    /// Inputs and activations: x_q = round(x·2^input_scale).
    pub input_scale: u32,
    /// Weights and constants: w_q = round(w·2^param_scale).
    pub param_scale: u32,
    /// Resolution of the Sigmoid/Tanh table index (≤ input_scale).
    pub lookup_scale: u32,
    /// Bits of the signed table index: Sigmoid/Tanh inputs must lie in
    /// [-2^(bits-1), 2^(bits-1)) / 2^lookup_scale (default ±8), other rescaled values
    /// in ±2^(bits-1) (real units, default ±2048).
    pub lookup_bits: u32,
    /// Largest number of products per dot row tried when fitting the layout.
    pub max_width: usize,
    /// Check layers whose weights are reused across positions (convolutions, recurrent
    /// weights over time) with verifier challenges where that needs fewer rows (default
    /// true); false lays out every multiply-add in dot rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_checks: Option<bool>,
    /// Requantization blocks side by side per 3-row band (each adds a lookup argument);
    /// default: chosen by estimated prover cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act_groups: Option<usize>,
    /// Set by [`crate::calibrate`]: how these options were chosen (copied into the
    /// settings; not part of the model hash when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            input_scale: 13,
            param_scale: 13,
            lookup_scale: 8,
            lookup_bits: 12,
            max_width: 64,
            challenge_checks: None,
            act_groups: None,
            calibration: None,
        }
    }
}

/// A compiled model: settings plus everything keygen and witness generation need.
#[derive(Debug, Clone)]
pub struct CompiledModel {
    pub(crate) settings: Settings,
    pub(crate) program: Arc<Program>,
    pub(crate) fixed: Arc<FixedPart>,
    pub(crate) params: CircuitParams,
}

impl CompiledModel {
    /// The circuit settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Where the circuit's rows go: rows by kind (dot rows, requantization bands,
    /// challenge-check chains, ...), then the number of requantization blocks and of
    /// table rows. For profiles; the kinds are descriptive, not a stable format.
    pub fn layout_profile(&self) -> Vec<(&'static str, usize)> {
        let mut p = self.fixed.grid.profile();
        let blocks = self
            .program
            .ops
            .iter()
            .filter(|op| matches!(op, crate::ir::Op::Act { .. }))
            .count();
        p.push(("requant blocks", blocks));
        p.push(("table rows", self.fixed.table.len()));
        p
    }
}

fn bad_options(m: &str) -> Error {
    Error::new(
        ErrorCode::BadSettings,
        format!("invalid compile options: {m}"),
    )
}

fn log2_ceil(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

/// Smallest k whose 2^k rows hold a table of `table_len` rows and `instances` public
/// values plus the reserved blinding rows.
pub(crate) fn floor_k(table_len: usize, instances: usize) -> u32 {
    log2_ceil(table_len.max(instances) + RESERVED_ROWS).max(5)
}

/// Relative prover cost of a circuit with 2^k rows and `width` weight columns: every
/// polynomial the prover commits to and extends to the 4× coset domain costs about
/// 2^k — the W+1 advice columns, the permutation products (W+2 equality columns in
/// chunks of 3), the lookup's 3 polynomials and the 4 quotient pieces. Measured on the
/// LSTM: k=15, W=7 proves in 4.3 s, k=14, W=50 in 7.5 s (this model says 1 : 1.7).
/// Each requantization slot's lookup argument adds 3 more (permuted input and table,
/// product).
pub(crate) fn prover_cost(k: u32, width: usize, phase2: bool, groups: usize) -> f64 {
    let p2 = if phase2 { PHASE2_COLUMNS } else { 0 };
    let polys = (width + 1 + p2) + (width + 2 + p2).div_ceil(3) + 3 * groups.max(1) + 4;
    (polys as f64) * f64::from(1u32 << k)
}

/// The cheapest (by [`prover_cost`]) of: the smallest width that fits at each of the
/// three smallest feasible k.
fn fit(
    prog: &Program,
    spec: &LookupSpec,
    max_width: usize,
    floor_k: u32,
    act_groups: Option<usize>,
) -> Result<(u32, Grid), Error> {
    let zeros = vec![0i64; prog.input_len];
    // Requantization blocks one per band, or as many side by side as the width allows.
    let groups = |w: usize, packed: bool| match act_groups {
        Some(g) => g.clamp(1, max_groups(w)),
        None if packed => max_groups(w),
        None => 1,
    };
    let grid = |w: usize, packed: bool| build(prog, spec, w, groups(w, packed), &zeros, false);
    let phase2 = !prog.linears.is_empty();
    let mut best: Option<(f64, u32, usize, bool)> = None;
    let modes: &[bool] = if act_groups.is_some() {
        &[true]
    } else {
        &[false, true]
    };
    for &packed in modes {
        let widest = grid(max_width, packed)?;
        let k_min = floor_k.max(log2_ceil(widest.rows + RESERVED_ROWS));
        if k_min > 26 {
            continue;
        }
        // A forced slot count needs at least 3g − 1 weight columns.
        let narrowest = act_groups.map_or(2, |g| (3 * g).saturating_sub(1).clamp(2, max_width));
        for k in k_min..=(k_min + 2).min(26) {
            let (mut lo, mut hi) = (narrowest, max_width);
            while lo < hi {
                let mid = usize::midpoint(lo, hi);
                if grid(mid, packed)?.rows + RESERVED_ROWS <= 1 << k {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            let cost = prover_cost(k, lo, phase2, groups(lo, packed));
            if best.is_none_or(|b| cost < b.0) {
                best = Some((cost, k, lo, packed));
            }
            if lo == narrowest {
                break;
            }
        }
    }
    let (_, k, width, packed) = best.ok_or_else(|| {
        Error::new(
            ErrorCode::BadModel,
            "model is too large for a circuit of 2^26 rows",
        )
    })?;
    Ok((k, grid(width, packed)?))
}

/// The lowered program and its lookup table contents under `options`.
pub(crate) fn lower_with(
    onnx: &[u8],
    options: &CompileOptions,
) -> Result<(crate::onnx::Lowered, LookupSpec), Error> {
    let o = options;
    let lowered = crate::onnx::lower_with(
        onnx,
        o.input_scale,
        o.param_scale,
        o.lookup_scale,
        o.challenge_checks.unwrap_or(true),
    )?;
    let spec = LookupSpec {
        hi_bits: o.lookup_bits,
        lookup_scale: o.lookup_scale,
        output_scale: o.input_scale,
        range_widths: lowered.builder_widths.clone(),
        functions: lowered.luts.clone(),
    };
    Ok((lowered, spec))
}

/// Compiles ONNX bytes: loads the graph (batch dimension 1), quantizes, lays out the
/// circuit with the cheapest (k, width) by estimated prover cost, and returns settings.
pub fn compile(onnx: &[u8], options: &CompileOptions) -> Result<CompiledModel, Error> {
    let o = options;
    if !(1..=20).contains(&o.input_scale) || !(1..=20).contains(&o.param_scale) {
        return Err(bad_options("scales must be within 1..=20"));
    }
    if o.lookup_scale > o.input_scale || !(4..=16).contains(&o.lookup_bits) || o.max_width < 2 {
        return Err(bad_options(
            "need lookup_scale <= input_scale, lookup_bits in 4..=16, max_width >= 2",
        ));
    }
    let (lowered, spec) = lower_with(onnx, o)?;
    let mut hasher = Sha256::new();
    hasher.update(onnx);
    hasher.update(serde_json::to_vec(options).expect("options serialize"));
    hasher.update(SETTINGS_FORMAT_VERSION.to_le_bytes());
    hasher.update(CIRCUIT_LAYOUT_REVISION.to_le_bytes());
    assemble(
        lowered.program,
        spec,
        o,
        lowered.input_shapes,
        lowered.output_shapes,
        hex::encode(hasher.finalize()),
    )
}

/// Lays out a lowered program (a whole model, or one slice of it) with the cheapest
/// (k, width) and wraps it with its settings under `model_hash`.
pub(crate) fn assemble(
    prog: Program,
    spec: LookupSpec,
    o: &CompileOptions,
    input_shapes: Vec<Vec<usize>>,
    output_shapes: Vec<Vec<usize>>,
    model_hash: String,
) -> Result<CompiledModel, Error> {
    if spec.range_widths.iter().any(|&w| w > 20) {
        return Err(Error::new(
            ErrorCode::BadModel,
            "a rescale needs a range table wider than 2^20",
        ));
    }
    let instances = prog.input_len + prog.outputs.len();
    let floor_k = floor_k(spec.len(), instances);
    let (k, grid) = fit(&prog, &spec, o.max_width, floor_k, o.act_groups)?;
    let width = grid.width;
    let phase2 = grid.phase2;
    let groups = grid.groups;
    let p2_advice = if phase2 { PHASE2_COLUMNS } else { 0 };
    let settings = Settings {
        format_version: SETTINGS_FORMAT_VERSION,
        model_hash,
        k,
        rows: grid.rows,
        columns: Columns {
            width,
            advice: width + 1 + p2_advice,
            fixed: fixed_columns(width, phase2, groups) + 3,
            instance: 1,
            lookups: groups,
            phase2: p2_advice,
            act_groups: groups,
        },
        scales: Scales {
            input: o.input_scale,
            param: o.param_scale,
            output: o.input_scale,
        },
        input_shapes,
        output_shapes,
        table_rows: spec.len(),
        max_abs_input: 2f64.powi((o.lookup_bits - 1 + o.param_scale) as i32 - o.input_scale as i32),
        lookup: spec.clone(),
        calibration: o.calibration.clone(),
        slice: None,
    };
    let table = spec.rows();
    Ok(CompiledModel {
        settings,
        program: Arc::new(prog),
        fixed: Arc::new(FixedPart { grid, table }),
        params: CircuitParams {
            width,
            phase2,
            groups,
        },
    })
}
