//! Keygen and key (de)serialization with a versioned, checksummed envelope.

use crate::circuit::{CircuitParams, ModelCircuit};
use crate::compile::CompiledModel;
use crate::envelope::{open, seal, PK_MAGIC, VK_MAGIC};
use crate::error::{Error, ErrorCode};
use crate::settings::Settings;
use crate::srs::Srs;
use halo2_axiom::halo2curves::bn256::G1Affine;
use halo2_axiom::plonk::{self, keygen_pk, keygen_vk};
use halo2_axiom::SerdeFormat;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Proving key of one compiled model (immutable; share it across threads).
#[derive(Debug)]
pub struct ProvingKey {
    pub(crate) pk: plonk::ProvingKey<G1Affine>,
    pub(crate) model_hash: [u8; 32],
}

/// Verifying key of one compiled model.
#[derive(Debug, Clone)]
pub struct VerifyingKey {
    pub(crate) vk: plonk::VerifyingKey<G1Affine>,
    pub(crate) model_hash: [u8; 32],
}

/// Generates the proving and verifying keys of `model` from `srs` (k ≥ settings.k).
pub fn setup(model: &CompiledModel, srs: &Srs) -> Result<(ProvingKey, VerifyingKey), Error> {
    let params = srs.for_k(model.settings.k, "setup")?;
    let circuit = ModelCircuit {
        params: model.params,
        fixed: model.fixed.clone(),
        advice: None,
    };
    let fail = |e: plonk::Error| Error::new(ErrorCode::Internal, format!("keygen failed: {e:?}"));
    let vk = keygen_vk(&*params, &circuit).map_err(fail)?;
    let pk = keygen_pk(&*params, vk.clone(), &circuit).map_err(fail)?;
    let model_hash = model.settings.model_hash_bytes()?;
    Ok((
        ProvingKey { pk, model_hash },
        VerifyingKey { vk, model_hash },
    ))
}

fn check_model(k_file: u32, hash: &[u8; 32], settings: &Settings, what: &str) -> Result<(), Error> {
    if hash != &settings.model_hash_bytes()? || k_file != settings.k {
        return Err(Error::new(
            ErrorCode::ModelMismatch,
            format!("{what} belongs to another model"),
        ));
    }
    Ok(())
}

fn parse<T>(
    payload: &[u8],
    read: impl FnOnce(&mut &[u8]) -> std::io::Result<T>,
) -> Result<T, Error> {
    let mut reader = payload;
    let value = catch_unwind(AssertUnwindSafe(|| read(&mut reader)))
        .map_err(|_| Error::new(ErrorCode::BadKeyFormat, "key payload is malformed"))?
        .map_err(|e| {
            Error::new(
                ErrorCode::BadKeyFormat,
                format!("key payload is malformed: {e}"),
            )
        })?;
    if !reader.is_empty() {
        return Err(Error::new(
            ErrorCode::BadKeyFormat,
            "key payload has trailing bytes",
        ));
    }
    Ok(value)
}

impl ProvingKey {
    /// Serializes (envelope + halo2 raw bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        self.pk
            .write(&mut payload, SerdeFormat::RawBytesUnchecked)
            .expect("write to Vec");
        seal(
            PK_MAGIC,
            self.pk.get_vk().get_domain().k(),
            &self.model_hash,
            &payload,
            true,
        )
    }

    /// Reads a key written by [`ProvingKey::to_bytes`] for `model`.
    pub fn from_bytes(b: &[u8], model: &CompiledModel) -> Result<Self, Error> {
        let env = open(b, PK_MAGIC, true, ErrorCode::BadKeyFormat)?;
        check_model(env.k, &env.model_hash, &model.settings, "proving key")?;
        let params = model.params;
        let pk = parse(env.payload, |r| {
            plonk::ProvingKey::read::<_, ModelCircuit>(r, SerdeFormat::RawBytesUnchecked, params)
        })?;
        Ok(ProvingKey {
            pk,
            model_hash: env.model_hash,
        })
    }
}

impl VerifyingKey {
    /// Serializes (envelope + halo2 raw bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        self.vk
            .write(&mut payload, SerdeFormat::RawBytes)
            .expect("write to Vec");
        seal(
            VK_MAGIC,
            self.vk.get_domain().k(),
            &self.model_hash,
            &payload,
            true,
        )
    }

    /// Reads a key written by [`VerifyingKey::to_bytes`] for the model of `settings`.
    pub fn from_bytes(b: &[u8], settings: &Settings) -> Result<Self, Error> {
        let env = open(b, VK_MAGIC, true, ErrorCode::BadKeyFormat)?;
        check_model(env.k, &env.model_hash, settings, "verifying key")?;
        let params = CircuitParams {
            width: settings.columns.width,
            phase2: settings.columns.phase2 > 0,
            groups: settings.columns.act_groups,
        };
        let vk = parse(env.payload, |r| {
            plonk::VerifyingKey::read::<_, ModelCircuit>(r, SerdeFormat::RawBytes, params)
        })?;
        Ok(VerifyingKey {
            vk,
            model_hash: env.model_hash,
        })
    }
}

#[allow(dead_code)]
fn assert_send_sync() {
    fn ok<T: Send + Sync>() {}
    ok::<ProvingKey>();
    ok::<VerifyingKey>();
    ok::<CompiledModel>();
    ok::<Srs>();
}
