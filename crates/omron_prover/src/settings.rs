//! Versioned circuit settings (JSON): everything a verifier needs besides the keys.

use crate::error::{Error, ErrorCode};
use crate::table::LookupSpec;
use serde::{Deserialize, Serialize};

/// Current settings format version.
pub const SETTINGS_FORMAT_VERSION: u32 = 1;

/// Revision of the circuit layout (gates, lookups, column use). It goes into the model hash, so a model
/// compiled by a prover with another layout gets another hash, and keys cached under the old hash (the circuit
/// store keys its cache by model hash) are never loaded for a circuit they were not made for. Bump it with any
/// change that alters the circuit of an unchanged model and options.
/// 2: challenge (Freivalds) checks for reused weights and packed requantization bands.
/// 3: remainders split into a 2-bit top (gate) and a table-checked low part; wider rows
///    for the challenge check's fixed-only chains.
pub const CIRCUIT_LAYOUT_REVISION: u32 = 3;

/// Column counts of the circuit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    /// Products per dot row (weight columns); the circuit has `width + 1` advice columns.
    pub width: usize,
    /// Advice columns.
    pub advice: usize,
    /// Fixed columns (weights, selectors, tags and the 3 table columns).
    pub fixed: usize,
    /// Instance columns.
    pub instance: usize,
    /// Lookup arguments.
    pub lookups: usize,
    /// Second-phase advice columns of the challenge check of linear layers (0 when the
    /// model has none); included in `advice`.
    #[serde(default)]
    pub phase2: usize,
    /// Requantization blocks side by side per 3-row band, one lookup argument each
    /// (1 in settings written before packing).
    #[serde(default = "one")]
    pub act_groups: usize,
}

fn one() -> usize {
    1
}

/// Fixed-point scales (powers of two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scales {
    /// Inputs: x_q = round(x·2^input).
    pub input: u32,
    /// Weights and constants.
    pub param: u32,
    /// Outputs are dequantized with 2^-output.
    pub output: u32,
}

/// The calibration outcome, kept in [`crate::CompileOptions::calibration`] and
/// [`Settings::calibration`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Number of sample inputs.
    pub samples: usize,
    /// Range widening factor applied.
    pub margin: f64,
    /// Largest |x| seen entering a Sigmoid/Tanh (real units).
    pub lut_abs_max: f64,
    /// Largest |x| seen entering a rescale or ReLU block (real units).
    pub value_abs_max: f64,
    /// Largest |circuit output − float output| over the samples with the chosen options.
    pub max_error: f64,
    /// The bound the search had to keep.
    pub fidelity_bound: f64,
}

/// Circuit settings produced by [`crate::compile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Settings format version ([`SETTINGS_FORMAT_VERSION`]).
    pub format_version: u32,
    /// Hex SHA-256 of the ONNX bytes and the compile options.
    pub model_hash: String,
    /// log2 of the number of circuit rows.
    pub k: u32,
    /// Rows used by the layout (≤ 2^k minus blinding rows).
    pub rows: usize,
    /// Column counts.
    pub columns: Columns,
    /// Scales.
    pub scales: Scales,
    /// Shapes of the model inputs (batch 1).
    pub input_shapes: Vec<Vec<usize>>,
    /// Shapes of the model outputs.
    pub output_shapes: Vec<Vec<usize>>,
    /// The shared lookup table's contents: ranges and functions.
    pub lookup: LookupSpec,
    /// Rows of the lookup table.
    pub table_rows: usize,
    /// Largest |input| accepted, in real units (inputs are range-limited to keep
    /// intermediate values inside the field without wrap-around).
    pub max_abs_input: f64,
    /// How the scales and lookup ranges were calibrated, when they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// Set on the circuits of a sliced model: which slice of which model this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<SliceInfo>,
}

/// Position of one slice circuit in its model's chain (see [`crate::compile_slices`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SliceInfo {
    /// 0-based index of this slice.
    pub index: usize,
    /// Number of slices of the model.
    pub count: usize,
    /// Hash of the whole model (its ONNX bytes and compile options).
    pub model_hash: String,
}

impl Settings {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("settings serialize")
    }

    /// Parses JSON; `BAD_SETTINGS` on malformed text or an unknown format version.
    pub fn from_json(s: &str) -> Result<Settings, Error> {
        let settings: Settings = serde_json::from_str(s).map_err(|e| {
            Error::new(
                ErrorCode::BadSettings,
                format!("invalid settings JSON: {e}"),
            )
        })?;
        if settings.format_version != SETTINGS_FORMAT_VERSION {
            return Err(Error::new(
                ErrorCode::BadSettings,
                format!(
                    "unsupported settings format version {}",
                    settings.format_version
                ),
            ));
        }
        if settings.columns.width < 2 || settings.k < 4 || settings.k > 26 {
            return Err(Error::new(
                ErrorCode::BadSettings,
                "settings have an invalid circuit shape",
            ));
        }
        Ok(settings)
    }

    /// Number of public input elements.
    pub fn input_len(&self) -> usize {
        self.input_shapes
            .iter()
            .map(|s| s.iter().product::<usize>())
            .sum()
    }

    /// Number of public output elements.
    pub fn output_len(&self) -> usize {
        self.output_shapes
            .iter()
            .map(|s| s.iter().product::<usize>())
            .sum()
    }

    pub(crate) fn model_hash_bytes(&self) -> Result<[u8; 32], Error> {
        let v = hex::decode(&self.model_hash)
            .map_err(|_| Error::new(ErrorCode::BadSettings, "model_hash is not hex"))?;
        v.try_into()
            .map_err(|_| Error::new(ErrorCode::BadSettings, "model_hash is not 32 bytes"))
    }
}
