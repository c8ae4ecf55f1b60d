//! Plain-data results shared by proving and verification (JSON-friendly on the JS side).
//! Quantized integers cross the boundary here only, as decimal strings (never `f64`).

use crate::error::core_error;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use omron_prover as core;
use omron_prover::ErrorCode;

/// Quantized public instances of a proof: the model inputs and outputs as fixed-point
/// integers, each a canonical signed decimal string (`-?(0|[1-9][0-9]*)`), exact for every
/// `i64` (a JS number is not past 2^53). This is the one place the core's integers change type.
#[napi(object)]
pub struct PublicInputs {
    pub inputs: Vec<Vec<String>>,
    pub outputs: Vec<Vec<String>>,
}

/// Milliseconds spent per stage.
#[napi(object)]
pub struct Timings {
    pub witness_ms: f64,
    pub prove_ms: f64,
    /// The whole native call, including stages not listed.
    pub total_ms: f64,
}

/// Result of one proof.
#[napi(object)]
pub struct ProveResult {
    /// Dequantized model outputs, one array per model output.
    pub outputs: Vec<Vec<f64>>,
    pub proof: Buffer,
    pub public_inputs: PublicInputs,
    pub timings: Timings,
}

/// Core integers as canonical decimal strings (what `i64::to_string` writes).
pub fn to_decimal(values: Vec<Vec<i64>>) -> Vec<Vec<String>> {
    values
        .into_iter()
        .map(|v| v.into_iter().map(|x| x.to_string()).collect())
        .collect()
}

/// Parses one canonical decimal string: no sign but `-`, no leading zeros, no `-0`, so each
/// integer has exactly one spelling and two equal strings are two equal values.
fn parse_canonical(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    if canonical {
        text.parse().ok()
    } else {
        None
    }
}

fn from_decimal(values: &[Vec<String>], what: &str) -> Result<Vec<Vec<i64>>, core::Error> {
    values
        .iter()
        .map(|v| {
            v.iter()
                .map(|text| {
                    parse_canonical(text).ok_or_else(|| {
                        let shown: String = text.chars().take(40).collect();
                        core_error(
                            ErrorCode::InvalidInput,
                            format!(
                                "public {what} must be canonical decimal integers within i64, got {shown:?}"
                            ),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

impl PublicInputs {
    pub fn from_core(p: core::PublicInputs) -> Self {
        PublicInputs {
            inputs: to_decimal(p.inputs),
            outputs: to_decimal(p.outputs),
        }
    }

    pub fn to_core(&self) -> Result<core::PublicInputs, core::Error> {
        Ok(core::PublicInputs {
            inputs: from_decimal(&self.inputs, "inputs")?,
            outputs: from_decimal(&self.outputs, "outputs")?,
        })
    }
}

impl ProveResult {
    pub fn from_core(out: core::ProveOutput, total_ms: f64) -> Self {
        ProveResult {
            outputs: out.outputs,
            proof: out.proof.into(),
            public_inputs: PublicInputs::from_core(out.public_inputs),
            timings: Timings {
                witness_ms: out.timings.witness_ms,
                prove_ms: out.timings.prove_ms,
                total_ms,
            },
        }
    }
}
