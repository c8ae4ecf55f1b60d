//! Witness generation and proving.

use crate::circuit::{fr, ModelCircuit};
use crate::compile::CompiledModel;
use crate::envelope::{seal, PROOF_MAGIC};
use crate::error::{Error, ErrorCode};
use crate::keys::ProvingKey;
use crate::layout::{build, Grid};
use crate::quant::{dequantize, quantize};
use crate::settings::Settings;
use crate::srs::Srs;
use halo2_axiom::halo2curves::bn256::{Bn256, Fr, G1Affine};
use halo2_axiom::plonk::create_proof;
use halo2_axiom::poly::kzg::commitment::KZGCommitmentScheme;
use halo2_axiom::poly::kzg::multiopen::ProverSHPLONK;
use halo2_axiom::transcript::{Blake2bWrite, Challenge255, TranscriptWriterBuffer};
use rand::rngs::OsRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Quantized public values a proof is bound to: model inputs, then outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicInputs {
    /// Quantized inputs, one vector per model input (flattened, row-major).
    pub inputs: Vec<Vec<i64>>,
    /// Quantized outputs, one vector per model output.
    pub outputs: Vec<Vec<i64>>,
}

/// Stage timings in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub witness_ms: f64,
    pub prove_ms: f64,
}

/// Result of [`prove`].
#[derive(Debug, Clone)]
pub struct ProveOutput {
    /// Dequantized outputs (what the proof attests), one vector per model output.
    pub outputs: Vec<Vec<f64>>,
    /// Proof bytes (envelope + halo2 transcript).
    pub proof: Vec<u8>,
    /// Public values the proof is bound to.
    pub public_inputs: PublicInputs,
    pub timings: Timings,
}

/// Progress stages reported to [`ProveControl::on_progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Witness,
    Prove,
    Done,
}

/// Optional progress callback and cancellation flag (checked between stages).
#[derive(Default, Clone, Copy)]
pub struct ProveControl<'a> {
    pub on_progress: Option<&'a (dyn Fn(Stage, f64) + Sync)>,
    pub cancel: Option<&'a AtomicBool>,
}

impl ProveControl<'_> {
    fn report(&self, stage: Stage, fraction: f64) {
        if let Some(f) = self.on_progress {
            f(stage, fraction);
        }
    }
    fn check(&self) -> Result<(), Error> {
        match self.cancel {
            Some(c) if c.load(Ordering::Relaxed) => {
                Err(Error::new(ErrorCode::Cancelled, "proving was cancelled"))
            }
            _ => Ok(()),
        }
    }
}

/// Quantizes float inputs at the input scale after checking count, length, finiteness
/// and range. A verifier uses this to bind a proof to its own inputs.
pub fn quantize_inputs(settings: &Settings, inputs: &[Vec<f64>]) -> Result<Vec<Vec<i64>>, Error> {
    if inputs.len() != settings.input_shapes.len() {
        return Err(Error::new(
            ErrorCode::ShapeMismatch,
            format!(
                "expected {} inputs, got {}",
                settings.input_shapes.len(),
                inputs.len()
            ),
        ));
    }
    inputs
        .iter()
        .zip(&settings.input_shapes)
        .enumerate()
        .map(|(i, (v, shape))| {
            let n: usize = shape.iter().product();
            if v.len() != n {
                return Err(Error::new(
                    ErrorCode::ShapeMismatch,
                    format!(
                        "input {i} must have {n} elements (shape {shape:?}), got {}",
                        v.len()
                    ),
                ));
            }
            v.iter()
                .map(|&x| {
                    if !x.is_finite() {
                        Err(Error::new(
                            ErrorCode::InvalidInput,
                            format!("input {i} contains {x}"),
                        ))
                    } else if x.abs() >= settings.max_abs_input {
                        Err(Error::new(
                            ErrorCode::InputOutOfRange,
                            format!("input {i} value {x} exceeds ±{}", settings.max_abs_input),
                        ))
                    } else {
                        Ok(quantize(x, settings.scales.input))
                    }
                })
                .collect()
        })
        .collect()
}

/// Witness of one proof: the filled grid plus the public values.
pub(crate) struct Witness {
    pub grid: Grid,
    pub public: PublicInputs,
}

/// Runs the integer forward pass and lays out all advice values.
pub(crate) fn witness(model: &CompiledModel, inputs: &[Vec<f64>]) -> Result<Witness, Error> {
    let s = &model.settings;
    let q = quantize_inputs(s, inputs)?;
    let flat: Vec<i64> = q.iter().flatten().copied().collect();
    let grid = build(
        &model.program,
        &s.lookup,
        s.columns.width,
        s.columns.act_groups,
        &flat,
        true,
    )?;
    if grid.rows != model.fixed.grid.rows {
        return Err(Error::new(
            ErrorCode::Internal,
            "witness layout differs from the compiled layout",
        ));
    }
    let mut outputs = Vec::new();
    let mut it = model.program.outputs.iter().map(|&id| grid.values[id]);
    for shape in &s.output_shapes {
        outputs.push(it.by_ref().take(shape.iter().product()).collect());
    }
    Ok(Witness {
        grid,
        public: PublicInputs { inputs: q, outputs },
    })
}

pub(crate) fn instance_column(p: &PublicInputs) -> Vec<Fr> {
    p.inputs
        .iter()
        .chain(&p.outputs)
        .flatten()
        .map(|&v| fr(v))
        .collect()
}

pub(crate) fn advice_fr(grid: &Grid) -> Vec<Vec<Fr>> {
    grid.advice
        .par_iter()
        .map(|c| c.iter().map(|&v| fr(v)).collect())
        .collect()
}

/// Proves one inference: quantizes `inputs`, computes the witness and creates a
/// SHPLONK/KZG proof whose public instances are the quantized inputs and outputs.
pub fn prove(
    model: &CompiledModel,
    pk: &ProvingKey,
    srs: &Srs,
    inputs: &[Vec<f64>],
    control: ProveControl<'_>,
) -> Result<ProveOutput, Error> {
    let s = &model.settings;
    let hash = s.model_hash_bytes()?;
    if pk.model_hash != hash {
        return Err(Error::new(
            ErrorCode::ModelMismatch,
            "proving key belongs to another model",
        ));
    }
    control.check()?;
    control.report(Stage::Witness, 0.0);
    let t0 = Instant::now();
    let w = witness(model, inputs)?;
    let advice = advice_fr(&w.grid);
    let witness_ms = t0.elapsed().as_secs_f64() * 1e3;
    control.check()?;
    control.report(Stage::Prove, 0.0);
    let t1 = Instant::now();
    let params = srs.for_k(s.k, "prove")?;
    let circuit = ModelCircuit {
        params: model.params,
        fixed: model.fixed.clone(),
        advice: Some(Arc::new(advice)),
    };
    let instance = instance_column(&w.public);
    let mut transcript = Blake2bWrite::<_, G1Affine, Challenge255<_>>::init(vec![]);
    create_proof::<KZGCommitmentScheme<Bn256>, ProverSHPLONK<'_, Bn256>, _, _, _, _>(
        &*params,
        &pk.pk,
        &[circuit],
        &[&[&instance]],
        OsRng,
        &mut transcript,
    )
    .map_err(|e| {
        Error::new(
            ErrorCode::ProvingFailed,
            format!("halo2 prover failed: {e:?}"),
        )
    })?;
    let proof = seal(PROOF_MAGIC, s.k, &hash, &transcript.finalize(), false);
    let prove_ms = t1.elapsed().as_secs_f64() * 1e3;
    control.check()?;
    control.report(Stage::Done, 1.0);
    let outputs = w
        .public
        .outputs
        .iter()
        .map(|o| o.iter().map(|&v| dequantize(v, s.scales.output)).collect())
        .collect();
    Ok(ProveOutput {
        outputs,
        proof,
        public_inputs: w.public,
        timings: Timings {
            witness_ms,
            prove_ms,
        },
    })
}
