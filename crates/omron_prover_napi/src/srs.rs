//! Structured reference strings: development SRS generation, `kzg{k}.srs` files.

use crate::error::{core_error, guarded, into_js};
use napi::bindgen_prelude::{AsyncTask, Buffer, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use omron_prover as core;
use omron_prover::ErrorCode;
use std::sync::Arc;

/// KZG parameters over BN254 (powers of tau), held in native memory.
#[napi]
pub struct Srs {
    pub(crate) inner: Arc<core::Srs>,
}

#[napi]
impl Srs {
    /// log2 of the largest circuit this SRS supports.
    #[napi(getter)]
    pub fn k(&self) -> u32 {
        self.inner.k()
    }

    /// Whether this is the deterministic development SRS (public toxic waste: never for production).
    #[napi(getter)]
    pub fn is_insecure(&self) -> bool {
        self.inner.is_insecure()
    }

    /// Serializes in the halo2 `ParamsKZG` raw layout (`kzg{k}.srs`), on a worker thread.
    #[napi(ts_return_type = "Promise<Buffer>")]
    pub fn to_bytes(&self) -> AsyncTask<SrsBytesTask> {
        AsyncTask::new(SrsBytesTask {
            srs: self.inner.clone(),
        })
    }

    /// A copy reduced to 2^k points.
    #[napi]
    pub fn downsize(&self, env: Env, k: u32) -> napi::Result<Srs> {
        let inner = self.inner.clone();
        into_js(&env, guarded(|| inner.downsize(k))).map(srs)
    }
}

fn srs(inner: core::Srs) -> Srs {
    Srs {
        inner: Arc::new(inner),
    }
}

pub struct SrsBytesTask {
    srs: Arc<core::Srs>,
}

#[napi]
impl Task for SrsBytesTask {
    type Output = Vec<u8>;
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Vec<u8>> {
        Ok(self.srs.to_bytes())
    }

    fn resolve(&mut self, _env: Env, output: Vec<u8>) -> napi::Result<Buffer> {
        Ok(output.into())
    }
}

/// Where an SRS comes from: generated (development) or parsed from bytes.
pub enum SrsSource {
    Development(u32),
    Bytes(Vec<u8>),
}

pub struct LoadSrsTask {
    source: SrsSource,
}

#[napi]
impl Task for LoadSrsTask {
    type Output = Result<core::Srs, core::Error>;
    type JsValue = Srs;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guarded(|| match &self.source {
            SrsSource::Development(k) if !(1..=26).contains(k) => Err(core_error(
                ErrorCode::BadSrs,
                format!("SRS k must be in 1..=26, got {k}"),
            )),
            SrsSource::Development(k) => Ok(core::Srs::development(*k)),
            SrsSource::Bytes(bytes) => core::Srs::read(bytes),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Srs> {
        into_js(&env, output).map(srs)
    }
}

/// Generates the deterministic, INSECURE development SRS for circuits of up to 2^k rows
/// (slow for large k; cache it with `toBytes`).
#[napi]
pub fn development_srs(k: u32) -> AsyncTask<LoadSrsTask> {
    AsyncTask::new(LoadSrsTask {
        source: SrsSource::Development(k),
    })
}

/// Parses a `kzg{k}.srs` file's bytes on a worker thread.
#[napi]
pub fn read_srs(bytes: Uint8Array) -> AsyncTask<LoadSrsTask> {
    AsyncTask::new(LoadSrsTask {
        source: SrsSource::Bytes(bytes.to_vec()),
    })
}

/// Parses a `kzg{k}.srs` file's bytes on the calling thread.
#[napi]
pub fn read_srs_sync(env: Env, bytes: Uint8Array) -> napi::Result<Srs> {
    let mut task = LoadSrsTask {
        source: SrsSource::Bytes(bytes.to_vec()),
    };
    let output = task.compute()?;
    task.resolve(env, output)
}
