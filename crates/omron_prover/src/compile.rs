//! ONNX bytes → [`CompiledModel`]: lowering, lookup table, layout and settings.

use crate::circuit::{CircuitParams, FixedPart};
use crate::error::{Error, ErrorCode};
use crate::ir::Program;
use crate::layout::{build, fx, Grid};
use crate::settings::{Columns, Scales, Settings, SETTINGS_FORMAT_VERSION};
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
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            input_scale: 13,
            param_scale: 13,
            lookup_scale: 8,
            lookup_bits: 12,
            max_width: 64,
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

/// Smallest k, then smallest width, whose layout fits.
fn fit(
    prog: &Program,
    spec: &LookupSpec,
    max_width: usize,
    floor_k: u32,
) -> Result<(u32, Grid), Error> {
    let zeros = vec![0i64; prog.input_len];
    let grid = |w: usize| build(prog, spec, w, &zeros, false);
    let widest = grid(max_width)?;
    let k = floor_k.max(log2_ceil(widest.rows + RESERVED_ROWS));
    if k > 26 {
        return Err(Error::new(
            ErrorCode::BadModel,
            "model is too large for a circuit of 2^26 rows",
        ));
    }
    let (mut lo, mut hi) = (2usize, max_width);
    let mut best = widest;
    while lo < hi {
        let mid = (lo + hi) / 2;
        let g = grid(mid)?;
        if g.rows + RESERVED_ROWS <= 1 << k {
            hi = mid;
            best = g;
        } else {
            lo = mid + 1;
        }
    }
    if best.width != lo {
        best = grid(lo)?;
    }
    Ok((k, best))
}

/// Compiles ONNX bytes: loads the graph (batch dimension 1), quantizes, lays out the
/// circuit with the smallest k and fewest columns that fit, and returns settings.
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
    let lowered = crate::onnx::lower(onnx, o.input_scale, o.param_scale, o.lookup_scale)?;
    let spec = LookupSpec {
        hi_bits: o.lookup_bits,
        lookup_scale: o.lookup_scale,
        output_scale: o.input_scale,
        range_widths: lowered.builder_widths.clone(),
        functions: lowered.luts.clone(),
    };
    if spec.range_widths.iter().any(|&w| w > 20) {
        return Err(Error::new(
            ErrorCode::BadModel,
            "a rescale needs a range table wider than 2^20",
        ));
    }
    let prog = lowered.program;
    let instances = prog.input_len + prog.outputs.len();
    let floor_k = log2_ceil(spec.len().max(instances) + RESERVED_ROWS).max(5);
    let (k, grid) = fit(&prog, &spec, o.max_width, floor_k)?;
    let width = grid.width;
    let mut hasher = Sha256::new();
    hasher.update(onnx);
    hasher.update(serde_json::to_vec(options).expect("options serialize"));
    hasher.update(SETTINGS_FORMAT_VERSION.to_le_bytes());
    let settings = Settings {
        format_version: SETTINGS_FORMAT_VERSION,
        model_hash: hex::encode(hasher.finalize()),
        k,
        rows: grid.rows,
        columns: Columns {
            width,
            advice: width + 1,
            fixed: width + fx::COUNT + 3,
            instance: 1,
            lookups: 1,
        },
        scales: Scales {
            input: o.input_scale,
            param: o.param_scale,
            output: o.input_scale,
        },
        input_shapes: lowered.input_shapes,
        output_shapes: lowered.output_shapes,
        table_rows: spec.len(),
        max_abs_input: 2f64.powi((o.lookup_bits - 1 + o.param_scale) as i32 - o.input_scale as i32),
        lookup: spec.clone(),
    };
    let table = spec.rows();
    Ok(CompiledModel {
        settings,
        program: Arc::new(prog),
        fixed: Arc::new(FixedPart { grid, table }),
        params: CircuitParams { width },
    })
}
