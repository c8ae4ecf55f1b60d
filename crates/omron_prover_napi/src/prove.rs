//! The `Prover`: a compiled model, its proving key and a right-sized SRS kept in native
//! memory, so repeated proofs ship only inputs and proofs across the boundary.

use crate::error::{core_error, guarded, into_js, to_js};
use crate::keys::ProvingKey;
use crate::model::CompiledModel;
use crate::progress::{ProgressFn, ProgressSink};
use crate::public::ProveResult;
use crate::srs::Srs;
use napi::bindgen_prelude::AbortSignal;
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;
use omron_prover::ErrorCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

/// Proves many inputs against one model without reloading its proving key.
#[napi]
pub struct Prover {
    model: Arc<core::CompiledModel>,
    key: Arc<core::ProvingKey>,
    srs: Arc<core::Srs>,
}

/// Checks the key belongs to the model and reduces the SRS to exactly the circuit's k (once).
fn assemble(
    model: Arc<core::CompiledModel>,
    key: &ProvingKey,
    srs: Arc<core::Srs>,
) -> Result<Prover, core::Error> {
    let settings = model.settings();
    if key.model.settings().model_hash != settings.model_hash {
        return Err(core_error(
            ErrorCode::ModelMismatch,
            "the proving key belongs to another model",
        ));
    }
    let srs = if srs.k() > settings.k {
        Arc::new(srs.downsize(settings.k)?)
    } else {
        srs
    };
    Ok(Prover {
        model,
        key: key.inner.clone(),
        srs,
    })
}

pub struct CreateProverTask {
    prover: Option<Result<Prover, core::Error>>,
    build: Option<Box<dyn FnOnce() -> Result<Prover, core::Error> + Send>>,
}

#[napi]
impl Task for CreateProverTask {
    type Output = ();
    type JsValue = Prover;

    fn compute(&mut self) -> napi::Result<()> {
        let build = self.build.take().expect("compute runs once");
        self.prover = Some(guarded(build));
        Ok(())
    }

    fn resolve(&mut self, env: Env, _: ()) -> napi::Result<Prover> {
        into_js(&env, self.prover.take().expect("computed"))
    }
}

/// Builds a `Prover` on a worker thread (reducing a larger SRS to the circuit's k takes a moment).
#[napi]
pub fn create_prover(
    model: &CompiledModel,
    key: &ProvingKey,
    srs: &Srs,
) -> AsyncTask<CreateProverTask> {
    let (model, key, srs) = (
        model.inner.clone(),
        ProvingKey {
            inner: key.inner.clone(),
            model: key.model.clone(),
        },
        srs.inner.clone(),
    );
    AsyncTask::new(CreateProverTask {
        prover: None,
        build: Some(Box::new(move || assemble(model, &key, srs))),
    })
}

pub struct ProveTask {
    model: Arc<core::CompiledModel>,
    key: Arc<core::ProvingKey>,
    srs: Arc<core::Srs>,
    inputs: Vec<Vec<f64>>,
    cancel: Arc<AtomicBool>,
    progress: Option<ProgressSink>,
}

#[napi]
impl Task for ProveTask {
    type Output = Result<(core::ProveOutput, f64), core::Error>;
    type JsValue = ProveResult;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let started = Instant::now();
        let sink = self.progress.as_ref();
        let report = |stage: core::Stage, fraction: f64| {
            if let Some(sink) = sink {
                sink.report(stage, fraction);
            }
        };
        let control = core::ProveControl {
            on_progress: Some(&report),
            cancel: Some(&self.cancel),
        };
        let output =
            guarded(|| core::prove(&self.model, &self.key, &self.srs, &self.inputs, control));
        if let Some(sink) = sink {
            sink.flush();
        }
        Ok(output.map(|out| (out, started.elapsed().as_secs_f64() * 1e3)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<ProveResult> {
        let (out, total_ms) = output.map_err(|e| to_js(&env, &e))?;
        Ok(ProveResult::from_core(out, total_ms))
    }
}

#[napi]
impl Prover {
    /// Hex hash of the model this prover proves.
    #[napi(getter)]
    pub fn model_hash(&self) -> String {
        self.model.settings().model_hash.clone()
    }

    fn task(&self, inputs: Vec<Vec<f64>>, progress: Option<ProgressFn>) -> ProveTask {
        ProveTask {
            model: self.model.clone(),
            key: self.key.clone(),
            srs: self.srs.clone(),
            inputs,
            cancel: Arc::new(AtomicBool::new(false)),
            progress: progress.map(ProgressSink::new),
        }
    }

    /// Proves one inference on a worker thread. Aborting `signal` cancels at the next
    /// checkpoint of the core (between and inside stages).
    #[napi(
        ts_args_type = "inputs: Array<Array<number>>, signal?: AbortSignal | undefined | null, onProgress?: ((event: ProgressEvent) => void) | undefined | null"
    )]
    pub fn prove(
        &self,
        inputs: Vec<Vec<f64>>,
        signal: Option<AbortSignal>,
        on_progress: Option<ProgressFn>,
    ) -> AsyncTask<ProveTask> {
        let task = self.task(inputs, on_progress);
        if let Some(signal) = &signal {
            let cancel = task.cancel.clone();
            signal.on_abort(move || cancel.store(true, std::sync::atomic::Ordering::SeqCst));
        }
        AsyncTask::with_optional_signal(task, signal)
    }

    /// Proves one inference on the calling thread (blocks the event loop: scripts only).
    #[napi]
    pub fn prove_sync(&self, env: Env, inputs: Vec<Vec<f64>>) -> napi::Result<ProveResult> {
        let mut task = self.task(inputs, None);
        let output = task.compute()?;
        task.resolve(env, output)
    }
}
