//! Choosing compile options from sample inputs.

use crate::error::{guarded, into_js};
use crate::model::CompileOptions;
use napi::bindgen_prelude::{AbortSignal, AsyncTask, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;

/// What `calibrate` searches over; omitted fields take the core's defaults
/// (minScale 10, margin 2, fidelityBound 0.01, base = default compile options).
#[napi(object)]
#[derive(Default)]
pub struct CalibrateOptions {
    /// Starting options: the largest scales tried and the layout width limit.
    pub base: Option<CompileOptions>,
    /// Smallest input/param scale tried.
    pub min_scale: Option<u32>,
    /// Observed value ranges are widened by this factor (>= 1) before sizing tables.
    pub margin: Option<f64>,
    /// Largest accepted |circuit output - float output| over the samples.
    pub fidelity_bound: Option<f64>,
}

impl CalibrateOptions {
    fn to_core(&self) -> core::CalibrationOptions {
        let mut options = core::CalibrationOptions::default();
        if let Some(base) = &self.base {
            options.base = base.to_core();
        }
        if let Some(scale) = self.min_scale {
            options.min_scale = scale;
        }
        if let Some(margin) = self.margin {
            options.margin = margin;
        }
        if let Some(bound) = self.fidelity_bound {
            options.fidelity_bound = bound;
        }
        options
    }
}

pub struct CalibrateTask {
    onnx: Vec<u8>,
    samples: Vec<Vec<Vec<f64>>>,
    options: core::CalibrationOptions,
}

#[napi]
impl Task for CalibrateTask {
    type Output = Result<core::CompileOptions, core::Error>;
    type JsValue = CompileOptions;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| {
            core::calibrate(&self.onnx, &self.samples, &self.options)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<CompileOptions> {
        into_js(&env, output).map(|options| CompileOptions::from_core(&options))
    }
}

fn calibrate_task(
    onnx: &Uint8Array,
    samples: Vec<Vec<Vec<f64>>>,
    options: Option<CalibrateOptions>,
) -> CalibrateTask {
    CalibrateTask {
        onnx: onnx.to_vec(),
        samples,
        options: options.unwrap_or_default().to_core(),
    }
}

/// Chooses compile options (scales, lookup range) from sample inputs on a worker thread;
/// the result carries a `calibration` record and compiles with `compileModel`.
#[napi]
pub fn calibrate(
    onnx: Uint8Array,
    samples: Vec<Vec<Vec<f64>>>,
    options: Option<CalibrateOptions>,
    signal: Option<AbortSignal>,
) -> AsyncTask<CalibrateTask> {
    AsyncTask::with_optional_signal(calibrate_task(&onnx, samples, options), signal)
}

/// Calibrates on the calling thread.
#[napi]
pub fn calibrate_sync(
    env: Env,
    onnx: Uint8Array,
    samples: Vec<Vec<Vec<f64>>>,
    options: Option<CalibrateOptions>,
) -> napi::Result<CompileOptions> {
    let mut task = calibrate_task(&onnx, samples, options);
    let output = task.compute()?;
    task.resolve(env, output)
}
