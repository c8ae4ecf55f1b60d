//! Verification with a verifying key, the settings and an SRS only (no proving key), and
//! input quantization so a verifier can recompute the public inputs it expects.

use crate::error::{core_error, guarded, into_js};
use crate::keys::VerifyingKey;
use crate::public::{to_decimal, PublicInputs};
use crate::srs::Srs;
use napi::bindgen_prelude::{AsyncTask, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;
use omron_prover::ErrorCode;
use std::sync::Arc;

/// A verifying key, its settings and an SRS reduced to the circuit's k, loaded once.
#[napi]
pub struct Verifier {
    vk: Arc<core::VerifyingKey>,
    settings: Arc<core::Settings>,
    srs: Arc<core::Srs>,
}

fn assemble(
    vk: &VerifyingKey,
    settings_json: &str,
    srs: &core::Srs,
) -> Result<Verifier, core::Error> {
    let settings = core::Settings::from_json(settings_json)?;
    if vk.model_hash != settings.model_hash {
        return Err(core_error(
            ErrorCode::ModelMismatch,
            "the verifying key belongs to another model",
        ));
    }
    let srs = if srs.k() > settings.k {
        srs.downsize(settings.k)?
    } else {
        srs.clone()
    };
    Ok(Verifier {
        vk: vk.inner.clone(),
        settings: Arc::new(settings),
        srs: Arc::new(srs),
    })
}

/// Builds a `Verifier` (`BAD_SETTINGS`, `MODEL_MISMATCH`, `BAD_SRS`).
#[napi]
pub fn create_verifier(
    env: Env,
    vk: &VerifyingKey,
    settings_json: String,
    srs: &Srs,
) -> napi::Result<Verifier> {
    into_js(&env, guarded(|| assemble(vk, &settings_json, &srs.inner)))
}

pub struct VerifyTask {
    vk: Arc<core::VerifyingKey>,
    settings: Arc<core::Settings>,
    srs: Arc<core::Srs>,
    proof: Vec<u8>,
    public: Result<core::PublicInputs, core::Error>,
}

#[napi]
impl Task for VerifyTask {
    type Output = Result<bool, core::Error>;
    type JsValue = bool;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| {
            let public = self.public.clone()?;
            core::verify(&self.vk, &self.settings, &self.srs, &self.proof, &public)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<bool> {
        into_js(&env, output)
    }
}

#[napi]
impl Verifier {
    /// Hex hash of the model this verifier checks.
    #[napi(getter)]
    pub fn model_hash(&self) -> String {
        self.settings.model_hash.clone()
    }

    fn task(&self, proof: &[u8], public_inputs: &PublicInputs) -> VerifyTask {
        VerifyTask {
            vk: self.vk.clone(),
            settings: self.settings.clone(),
            srs: self.srs.clone(),
            proof: proof.to_vec(),
            public: public_inputs.to_core(),
        }
    }

    /// Verifies on a worker thread: `true` for a valid proof of these public inputs, `false`
    /// for an invalid one; malformed proof bytes reject with `BAD_PROOF_FORMAT`.
    #[napi]
    pub fn verify(&self, proof: Uint8Array, public_inputs: PublicInputs) -> AsyncTask<VerifyTask> {
        AsyncTask::new(self.task(&proof, &public_inputs))
    }

    /// Verifies on the calling thread (a few milliseconds).
    #[napi]
    pub fn verify_sync(
        &self,
        env: Env,
        proof: Uint8Array,
        public_inputs: PublicInputs,
    ) -> napi::Result<bool> {
        let mut task = self.task(&proof, &public_inputs);
        let output = task.compute()?;
        task.resolve(env, output)
    }
}

/// Quantizes float inputs as the circuit does: the `inputs` part of the public inputs a
/// valid proof for them must carry, as canonical decimal strings (`SHAPE_MISMATCH`,
/// `INVALID_INPUT`, `INPUT_OUT_OF_RANGE`).
#[napi]
pub fn quantize_inputs(
    env: Env,
    settings_json: String,
    inputs: Vec<Vec<f64>>,
) -> napi::Result<Vec<Vec<String>>> {
    let quantized = guarded(|| {
        let settings = core::Settings::from_json(&settings_json)?;
        core::quantize_inputs(&settings, &inputs)
    });
    into_js(&env, quantized).map(to_decimal)
}
