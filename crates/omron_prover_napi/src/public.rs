//! Plain-data results shared by proving and verification (JSON-friendly on the JS side).

use crate::error::core_error;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use omron_prover as core;
use omron_prover::ErrorCode;

/// Quantized public instances of a proof: the model inputs and outputs as fixed-point integers.
#[napi(object)]
pub struct PublicInputs {
    pub inputs: Vec<Vec<f64>>,
    pub outputs: Vec<Vec<f64>>,
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

/// Largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

fn to_numbers(values: Vec<Vec<i64>>) -> Vec<Vec<f64>> {
    values
        .into_iter()
        .map(|v| v.into_iter().map(|x| x as f64).collect())
        .collect()
}

fn to_integers(values: &[Vec<f64>], what: &str) -> Result<Vec<Vec<i64>>, core::Error> {
    values
        .iter()
        .map(|v| {
            v.iter()
                .map(|&x| {
                    if x.fract() == 0.0 && x.abs() <= MAX_SAFE {
                        Ok(x as i64)
                    } else {
                        Err(core_error(
                            ErrorCode::InvalidInput,
                            format!("public {what} must be safe integers, got {x}"),
                        ))
                    }
                })
                .collect()
        })
        .collect()
}

impl PublicInputs {
    pub fn from_core(p: core::PublicInputs) -> Self {
        PublicInputs {
            inputs: to_numbers(p.inputs),
            outputs: to_numbers(p.outputs),
        }
    }

    pub fn to_core(&self) -> Result<core::PublicInputs, core::Error> {
        Ok(core::PublicInputs {
            inputs: to_integers(&self.inputs, "inputs")?,
            outputs: to_integers(&self.outputs, "outputs")?,
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

/// Converts quantized integers for JS.
pub fn integers_to_numbers(values: Vec<Vec<i64>>) -> Vec<Vec<f64>> {
    to_numbers(values)
}
