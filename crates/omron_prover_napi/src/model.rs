//! Compiling an ONNX model into a circuit description plus settings.

use crate::error::{guarded, into_js};
use napi::bindgen_prelude::{AbortSignal, AsyncTask, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;
use std::sync::Arc;

/// Fixed-point options for `compileModel`; omitted fields take the core's defaults (2^13).
#[napi(object)]
#[derive(Default)]
pub struct CompileOptions {
    /// Inputs are quantized as round(x·2^inputScale).
    pub input_scale: Option<u32>,
    /// Weights and constants are quantized as round(w·2^paramScale).
    pub param_scale: Option<u32>,
    /// Resolution of the Sigmoid/Tanh table index (≤ inputScale).
    pub lookup_scale: Option<u32>,
    /// Bits of the signed lookup-table index (sets the Sigmoid/Tanh input range and the
    /// range of rescaled values).
    pub lookup_bits: Option<u32>,
    /// Largest number of products per dot-product row tried when fitting the layout.
    pub max_width: Option<u32>,
    /// Check layers whose weights are reused across positions (convolutions, recurrent
    /// weights over time) with verifier challenges where that needs fewer rows (default
    /// true); false lays out every multiply-add in dot rows.
    pub challenge_checks: Option<bool>,
    /// Requantization blocks side by side per 3-row band, each with its own lookup
    /// argument (default: chosen by estimated prover cost).
    pub act_groups: Option<u32>,
    /// Set by `calibrate`: how these options were chosen (recorded in the settings).
    pub calibration: Option<Calibration>,
}

/// How `calibrate` chose a model's options (kept in the settings as `calibration`).
#[napi(object)]
pub struct Calibration {
    /// Number of sample inputs.
    pub samples: u32,
    /// Range widening factor applied to the observed ranges.
    pub margin: f64,
    /// Largest |x| seen entering a Sigmoid/Tanh (real units).
    pub lut_abs_max: f64,
    /// Largest |x| seen entering a rescale or ReLU block (real units).
    pub value_abs_max: f64,
    /// Largest |circuit output - float output| over the samples with the chosen options.
    pub max_error: f64,
    /// The bound the search had to keep.
    pub fidelity_bound: f64,
}

impl Calibration {
    fn to_core(&self) -> core::Calibration {
        core::Calibration {
            samples: self.samples as usize,
            margin: self.margin,
            lut_abs_max: self.lut_abs_max,
            value_abs_max: self.value_abs_max,
            max_error: self.max_error,
            fidelity_bound: self.fidelity_bound,
        }
    }

    fn from_core(c: &core::Calibration) -> Self {
        Calibration {
            samples: u32::try_from(c.samples).unwrap_or(u32::MAX),
            margin: c.margin,
            lut_abs_max: c.lut_abs_max,
            value_abs_max: c.value_abs_max,
            max_error: c.max_error,
            fidelity_bound: c.fidelity_bound,
        }
    }
}

impl CompileOptions {
    /// Every field set, as the core would use them.
    pub(crate) fn from_core(o: &core::CompileOptions) -> Self {
        CompileOptions {
            input_scale: Some(o.input_scale),
            param_scale: Some(o.param_scale),
            lookup_scale: Some(o.lookup_scale),
            lookup_bits: Some(o.lookup_bits),
            max_width: Some(u32::try_from(o.max_width).unwrap_or(u32::MAX)),
            challenge_checks: o.challenge_checks,
            act_groups: o.act_groups.map(|g| u32::try_from(g).unwrap_or(u32::MAX)),
            calibration: o.calibration.as_ref().map(Calibration::from_core),
        }
    }

    pub(crate) fn to_core(&self) -> core::CompileOptions {
        let mut options = core::CompileOptions::default();
        if let Some(scale) = self.input_scale {
            options.input_scale = scale;
        }
        if let Some(scale) = self.param_scale {
            options.param_scale = scale;
        }
        if let Some(scale) = self.lookup_scale {
            options.lookup_scale = scale;
        }
        if let Some(bits) = self.lookup_bits {
            options.lookup_bits = bits;
        }
        if let Some(width) = self.max_width {
            options.max_width = width as usize;
        }
        options.challenge_checks = self.challenge_checks;
        options.act_groups = self.act_groups.map(|g| g as usize);
        options.calibration = self.calibration.as_ref().map(Calibration::to_core);
        options
    }
}

/// A compiled model: the circuit and its settings, held in native memory.
#[napi]
pub struct CompiledModel {
    pub(crate) inner: Arc<core::CompiledModel>,
}

#[napi]
impl CompiledModel {
    /// The versioned settings JSON (what a verifier needs besides the keys and the SRS).
    #[napi(getter)]
    pub fn settings_json(&self) -> String {
        self.inner.settings().to_json()
    }

    /// Hex SHA-256 of the ONNX bytes and the compile options.
    #[napi(getter)]
    pub fn model_hash(&self) -> String {
        self.inner.settings().model_hash.clone()
    }
}

pub struct CompileTask {
    onnx: Vec<u8>,
    options: core::CompileOptions,
}

#[napi]
impl Task for CompileTask {
    type Output = Result<core::CompiledModel, core::Error>;
    type JsValue = CompiledModel;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| core::compile(&self.onnx, &self.options)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<CompiledModel> {
        into_js(&env, output).map(|model| CompiledModel {
            inner: Arc::new(model),
        })
    }
}

fn compile_task(onnx: &Uint8Array, options: Option<CompileOptions>) -> CompileTask {
    CompileTask {
        onnx: onnx.to_vec(),
        options: options.unwrap_or_default().to_core(),
    }
}

/// Compiles ONNX bytes on a worker thread.
#[napi]
pub fn compile_model(
    onnx: Uint8Array,
    options: Option<CompileOptions>,
    signal: Option<AbortSignal>,
) -> AsyncTask<CompileTask> {
    AsyncTask::with_optional_signal(compile_task(&onnx, options), signal)
}

/// Compiles ONNX bytes on the calling thread.
#[napi]
pub fn compile_model_sync(
    env: Env,
    onnx: Uint8Array,
    options: Option<CompileOptions>,
) -> napi::Result<CompiledModel> {
    let mut task = compile_task(&onnx, options);
    let output = task.compute()?;
    task.resolve(env, output)
}
