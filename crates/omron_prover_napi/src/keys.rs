//! Keygen and proving/verifying key (de)serialization.

use crate::error::{guarded, into_js};
use crate::model::CompiledModel;
use crate::srs::Srs;
use napi::bindgen_prelude::{AsyncTask, Buffer, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;
use std::sync::Arc;

/// A proving key, kept in native memory (it can be hundreds of MB); tied to one compiled model.
#[napi]
pub struct ProvingKey {
    pub(crate) inner: Arc<core::ProvingKey>,
    pub(crate) model: Arc<core::CompiledModel>,
}

#[napi]
impl ProvingKey {
    /// Hex hash of the model this key belongs to.
    #[napi(getter)]
    pub fn model_hash(&self) -> String {
        self.model.settings().model_hash.clone()
    }

    /// Serializes the key (versioned header + halo2 key) on a worker thread.
    #[napi(ts_return_type = "Promise<Buffer>")]
    pub fn to_bytes(&self) -> AsyncTask<ProvingKeyBytesTask> {
        AsyncTask::new(ProvingKeyBytesTask {
            key: self.inner.clone(),
        })
    }
}

pub struct ProvingKeyBytesTask {
    key: Arc<core::ProvingKey>,
}

#[napi]
impl Task for ProvingKeyBytesTask {
    type Output = Vec<u8>;
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Vec<u8>> {
        Ok(self.key.to_bytes())
    }

    fn resolve(&mut self, _env: Env, output: Vec<u8>) -> napi::Result<Buffer> {
        Ok(output.into())
    }
}

/// A verifying key (small); tied to one model's settings.
#[napi]
pub struct VerifyingKey {
    pub(crate) inner: Arc<core::VerifyingKey>,
    pub(crate) model_hash: String,
}

#[napi]
impl VerifyingKey {
    /// Hex hash of the model this key belongs to.
    #[napi(getter)]
    pub fn model_hash(&self) -> String {
        self.model_hash.clone()
    }

    /// Serializes the key (versioned header + halo2 key).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        self.inner.to_bytes().into()
    }
}

/// Both keys from `setup`.
#[napi]
pub struct KeyPair {
    pk: Arc<core::ProvingKey>,
    vk: Arc<core::VerifyingKey>,
    model: Arc<core::CompiledModel>,
}

#[napi]
impl KeyPair {
    #[napi(getter)]
    pub fn proving_key(&self) -> ProvingKey {
        ProvingKey {
            inner: self.pk.clone(),
            model: self.model.clone(),
        }
    }

    #[napi(getter)]
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey {
            inner: self.vk.clone(),
            model_hash: self.model.settings().model_hash.clone(),
        }
    }
}

pub struct SetupTask {
    model: Arc<core::CompiledModel>,
    srs: Arc<core::Srs>,
}

#[napi]
impl Task for SetupTask {
    type Output = Result<(core::ProvingKey, core::VerifyingKey), core::Error>;
    type JsValue = KeyPair;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| core::setup(&self.model, &self.srs)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<KeyPair> {
        into_js(&env, output).map(|(pk, vk)| KeyPair {
            pk: Arc::new(pk),
            vk: Arc::new(vk),
            model: self.model.clone(),
        })
    }
}

/// Generates the proving and verifying keys on a worker thread.
#[napi]
pub fn setup(model: &CompiledModel, srs: &Srs) -> AsyncTask<SetupTask> {
    AsyncTask::new(SetupTask {
        model: model.inner.clone(),
        srs: srs.inner.clone(),
    })
}

pub struct LoadProvingKeyTask {
    bytes: Vec<u8>,
    model: Arc<core::CompiledModel>,
}

#[napi]
impl Task for LoadProvingKeyTask {
    type Output = Result<core::ProvingKey, core::Error>;
    type JsValue = ProvingKey;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| {
            core::ProvingKey::from_bytes(&self.bytes, &self.model)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<ProvingKey> {
        into_js(&env, output).map(|pk| ProvingKey {
            inner: Arc::new(pk),
            model: self.model.clone(),
        })
    }
}

/// Parses proving-key bytes for `model` on a worker thread (`BAD_KEY_FORMAT`, `MODEL_MISMATCH`).
#[napi]
pub fn load_proving_key(bytes: Uint8Array, model: &CompiledModel) -> AsyncTask<LoadProvingKeyTask> {
    AsyncTask::new(LoadProvingKeyTask {
        bytes: bytes.to_vec(),
        model: model.inner.clone(),
    })
}

/// Parses verifying-key bytes against a model's settings JSON (`BAD_KEY_FORMAT`, `MODEL_MISMATCH`).
#[napi]
pub fn load_verifying_key(
    env: Env,
    bytes: Uint8Array,
    settings_json: String,
) -> napi::Result<VerifyingKey> {
    let loaded = guarded(|| {
        let settings = core::Settings::from_json(&settings_json)?;
        let vk = core::VerifyingKey::from_bytes(&bytes, &settings)?;
        Ok(VerifyingKey {
            inner: Arc::new(vk),
            model_hash: settings.model_hash,
        })
    });
    into_js(&env, loaded)
}
