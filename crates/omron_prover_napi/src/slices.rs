//! Sliced models: compile into a chain of slice circuits, one forward pass for every
//! slice's inputs, prove one slice from its integer inputs, verify a chain.
//!
//! Boundary values cross the boundary as exact decimal strings (never JS numbers): they
//! are circuit integers that may exceed 2^53.

use crate::error::{core_error, guarded, into_js, to_js};
use crate::model::{CompileOptions, CompiledModel};
use crate::prove::Prover;
use crate::public::Timings;
use crate::srs::Srs;
use napi::bindgen_prelude::{AbortSignal, AsyncTask, Buffer, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;
use omron_prover::ErrorCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

/// How to cut a model: exactly `count` slices, or as few as keep each within `maxRows` rows.
#[napi(object)]
pub struct SliceOptions {
    pub count: Option<u32>,
    pub max_rows: Option<u32>,
}

/// Public values of one slice proof as decimal integer strings, one array per tensor.
#[napi(object)]
pub struct SlicePublicValues {
    pub inputs: Vec<Vec<String>>,
    pub outputs: Vec<Vec<String>>,
}

/// One slice's proof and the public values it is bound to.
#[napi(object)]
pub struct SliceProof {
    pub proof: Uint8Array,
    pub public_inputs: SlicePublicValues,
}

/// Result of `Prover.proveSlice`.
#[napi(object)]
pub struct SliceProveResult {
    pub proof: Buffer,
    pub public_inputs: SlicePublicValues,
    /// The slice outputs dequantized at the output scale (the model's outputs for the last slice).
    pub outputs: Vec<Vec<f64>>,
    pub timings: Timings,
}

fn to_strings(values: Vec<Vec<i64>>) -> Vec<Vec<String>> {
    values
        .into_iter()
        .map(|v| v.into_iter().map(|x| x.to_string()).collect())
        .collect()
}

fn to_integers(values: &[Vec<String>], what: &str) -> Result<Vec<Vec<i64>>, core::Error> {
    values
        .iter()
        .map(|v| {
            v.iter()
                .map(|s| {
                    s.parse::<i64>().map_err(|_| {
                        core_error(
                            ErrorCode::InvalidInput,
                            format!("{what} must be decimal 64-bit integers, got {s:?}"),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

impl SlicePublicValues {
    fn from_core(p: core::PublicInputs) -> Self {
        SlicePublicValues {
            inputs: to_strings(p.inputs),
            outputs: to_strings(p.outputs),
        }
    }

    fn to_core(&self) -> Result<core::PublicInputs, core::Error> {
        Ok(core::PublicInputs {
            inputs: to_integers(&self.inputs, "slice inputs")?,
            outputs: to_integers(&self.outputs, "slice outputs")?,
        })
    }
}

/// A model compiled as a chain of slice circuits, held in native memory.
#[napi]
pub struct SlicedModel {
    inner: Arc<core::SlicedModel>,
}

#[napi]
impl SlicedModel {
    /// Hash of the whole model (ONNX bytes and compile options).
    #[napi(getter)]
    pub fn model_hash(&self) -> String {
        self.inner.model_hash().to_string()
    }

    /// The slice circuits in chain order (each an ordinary compiled model with its own keys).
    #[napi]
    pub fn slices(&self) -> Vec<CompiledModel> {
        self.inner
            .slices()
            .iter()
            .map(|m| CompiledModel {
                inner: Arc::new(m.clone()),
            })
            .collect()
    }

    /// Number of values crossing each boundary (K−1 entries).
    #[napi]
    pub fn boundary_lens(&self) -> Vec<u32> {
        self.inner
            .boundary_lens()
            .into_iter()
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .collect()
    }

    /// One integer forward pass: every slice's public inputs and outputs, in chain order.
    #[napi]
    pub fn forward(&self, env: Env, inputs: Vec<Vec<f64>>) -> napi::Result<Vec<SlicePublicValues>> {
        let out = guarded(|| self.inner.forward(&inputs));
        into_js(&env, out).map(|v| v.into_iter().map(SlicePublicValues::from_core).collect())
    }
}

fn budget(options: &SliceOptions) -> Result<core::SliceBudget, core::Error> {
    match (options.count, options.max_rows) {
        (Some(count), None) => Ok(core::SliceBudget::Count(count as usize)),
        (None, Some(rows)) => Ok(core::SliceBudget::MaxRows(rows as usize)),
        _ => Err(core_error(
            ErrorCode::BadSettings,
            "give exactly one of slices.count and slices.maxRows",
        )),
    }
}

pub struct CompileSlicesTask {
    onnx: Vec<u8>,
    options: core::CompileOptions,
    budget: Result<core::SliceBudget, core::Error>,
}

#[napi]
impl Task for CompileSlicesTask {
    type Output = Result<core::SlicedModel, core::Error>;
    type JsValue = SlicedModel;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| {
            core::compile_slices(&self.onnx, &self.options, self.budget.clone()?)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<SlicedModel> {
        into_js(&env, output).map(|m| SlicedModel { inner: Arc::new(m) })
    }
}

/// Compiles ONNX bytes into a chain of slice circuits on a worker thread.
#[napi]
pub fn compile_slices(
    onnx: Uint8Array,
    options: Option<CompileOptions>,
    slices: SliceOptions,
    signal: Option<AbortSignal>,
) -> AsyncTask<CompileSlicesTask> {
    let task = CompileSlicesTask {
        onnx: onnx.to_vec(),
        options: options.unwrap_or_default().to_core(),
        budget: budget(&slices),
    };
    AsyncTask::with_optional_signal(task, signal)
}

pub struct ProveSliceTask {
    model: Arc<core::CompiledModel>,
    key: Arc<core::ProvingKey>,
    srs: Arc<core::Srs>,
    inputs: Result<Vec<Vec<i64>>, core::Error>,
    cancel: Arc<AtomicBool>,
}

#[napi]
impl Task for ProveSliceTask {
    type Output = Result<(core::ProveOutput, f64), core::Error>;
    type JsValue = SliceProveResult;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let started = Instant::now();
        let control = core::ProveControl {
            on_progress: None,
            cancel: Some(&self.cancel),
        };
        let out = guarded(|| {
            let inputs = self.inputs.clone()?;
            core::prove_quantized(&self.model, &self.key, &self.srs, inputs, control)
        });
        Ok(out.map(|o| (o, started.elapsed().as_secs_f64() * 1e3)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<SliceProveResult> {
        let (out, total_ms) = output.map_err(|e| to_js(&env, &e))?;
        Ok(SliceProveResult {
            proof: out.proof.into(),
            public_inputs: SlicePublicValues::from_core(out.public_inputs),
            outputs: out.outputs,
            timings: Timings {
                witness_ms: out.timings.witness_ms,
                prove_ms: out.timings.prove_ms,
                total_ms,
            },
        })
    }
}

#[napi]
impl Prover {
    /// Proves one slice from its integer inputs (decimal strings, from `SlicedModel.forward`)
    /// on a worker thread; aborting `signal` cancels at the next checkpoint.
    #[napi]
    pub fn prove_slice(
        &self,
        inputs: Vec<Vec<String>>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<ProveSliceTask> {
        let (model, key, srs) = self.parts();
        let task = ProveSliceTask {
            model,
            key,
            srs,
            inputs: to_integers(&inputs, "slice inputs"),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        if let Some(signal) = &signal {
            let cancel = task.cancel.clone();
            signal.on_abort(move || cancel.store(true, std::sync::atomic::Ordering::SeqCst));
        }
        AsyncTask::with_optional_signal(task, signal)
    }
}

/// The verifying keys and settings of every slice of one model, with an SRS.
#[napi]
pub struct ChainVerifier {
    keys: Arc<Vec<(core::VerifyingKey, core::Settings)>>,
    srs: Arc<core::Srs>,
}

/// Builds a `ChainVerifier` from each slice's verifying-key bytes and settings JSON, in
/// chain order (`BAD_SETTINGS` unless they are slices 0..K−1 of one model, `MODEL_MISMATCH`,
/// `BAD_KEY_FORMAT`, `BAD_SRS` when the SRS is smaller than the largest slice).
#[napi]
pub fn create_chain_verifier(
    env: Env,
    verifying_keys: Vec<Uint8Array>,
    settings_json: Vec<String>,
    srs: &Srs,
) -> napi::Result<ChainVerifier> {
    let built = guarded(|| {
        if verifying_keys.len() != settings_json.len() {
            return Err(core_error(
                ErrorCode::BadSettings,
                "one verifying key per slice settings",
            ));
        }
        let mut keys = Vec::with_capacity(settings_json.len());
        for (bytes, json) in verifying_keys.iter().zip(&settings_json) {
            let settings = core::Settings::from_json(json)?;
            let vk = core::VerifyingKey::from_bytes(bytes, &settings)?;
            keys.push((vk, settings));
        }
        let refs: Vec<_> = keys.iter().map(|(vk, s)| (vk, s)).collect();
        // Checks the chain's structure (empty proofs list: nothing is verified).
        core::verify_chain(&refs, &srs.inner, &[], &[], &[])?;
        let k = keys.iter().map(|(_, s)| s.k).max().unwrap_or(0);
        let srs = if srs.inner.k() > k {
            Arc::new(srs.inner.downsize(k)?)
        } else if srs.inner.k() < k {
            return Err(core_error(
                ErrorCode::BadSrs,
                format!(
                    "the chain needs an SRS of k>={k}, this one has k={}",
                    srs.inner.k()
                ),
            ));
        } else {
            srs.inner.clone()
        };
        Ok(ChainVerifier {
            keys: Arc::new(keys),
            srs,
        })
    });
    into_js(&env, built)
}

pub struct VerifyChainTask {
    keys: Arc<Vec<(core::VerifyingKey, core::Settings)>>,
    srs: Arc<core::Srs>,
    chain: Result<Vec<core::SliceProof>, core::Error>,
    inputs: Result<Vec<Vec<i64>>, core::Error>,
    outputs: Result<Vec<Vec<i64>>, core::Error>,
}

#[napi]
impl Task for VerifyChainTask {
    type Output = Result<bool, core::Error>;
    type JsValue = bool;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| {
            let refs: Vec<_> = self.keys.iter().map(|(vk, s)| (vk, s)).collect();
            let chain = self.chain.clone()?;
            let (inputs, outputs) = (self.inputs.clone()?, self.outputs.clone()?);
            core::verify_chain(&refs, &self.srs, &chain, &inputs, &outputs)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<bool> {
        into_js(&env, output)
    }
}

#[napi]
impl ChainVerifier {
    /// Number of slices.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.keys.len()).unwrap_or(u32::MAX)
    }

    /// Verifies a chain on a worker thread against the verifier's own quantized `inputs`
    /// and the claimed `outputs` (decimal strings): `false` for a chain that does not prove
    /// them; malformed proof bytes reject with `BAD_PROOF_FORMAT`.
    #[napi]
    pub fn verify(
        &self,
        chain: Vec<SliceProof>,
        inputs: Vec<Vec<String>>,
        outputs: Vec<Vec<String>>,
    ) -> AsyncTask<VerifyChainTask> {
        let parts = chain
            .iter()
            .map(|p| {
                Ok(core::SliceProof {
                    proof: p.proof.to_vec(),
                    public_inputs: p.public_inputs.to_core()?,
                })
            })
            .collect();
        AsyncTask::new(VerifyChainTask {
            keys: self.keys.clone(),
            srs: self.srs.clone(),
            chain: parts,
            inputs: to_integers(&inputs, "inputs"),
            outputs: to_integers(&outputs, "outputs"),
        })
    }
}
