//! Proof verification: never panics on bad bytes.

use crate::envelope::{open, PROOF_MAGIC};
use crate::error::{Error, ErrorCode};
use crate::keys::VerifyingKey;
use crate::prove::{instance_column, PublicInputs};
use crate::settings::Settings;
use crate::srs::Srs;
use halo2_axiom::halo2curves::bn256::{Bn256, G1Affine};
use halo2_axiom::plonk::verify_proof;
use halo2_axiom::poly::kzg::commitment::KZGCommitmentScheme;
use halo2_axiom::poly::kzg::multiopen::VerifierSHPLONK;
use halo2_axiom::poly::kzg::strategy::SingleStrategy;
use halo2_axiom::transcript::{Blake2bRead, Challenge255, TranscriptReadBuffer};
use std::panic::{catch_unwind, AssertUnwindSafe};

fn check_shapes(settings: &Settings, p: &PublicInputs) -> Result<(), Error> {
    let lens = |shapes: &[Vec<usize>]| {
        shapes
            .iter()
            .map(|s| s.iter().product::<usize>())
            .collect::<Vec<_>>()
    };
    let got = |v: &[Vec<i64>]| v.iter().map(Vec::len).collect::<Vec<_>>();
    if got(&p.inputs) != lens(&settings.input_shapes)
        || got(&p.outputs) != lens(&settings.output_shapes)
    {
        return Err(Error::new(
            ErrorCode::ShapeMismatch,
            "public inputs do not match the model's shapes",
        ));
    }
    Ok(())
}

/// Verifies `proof` against the verifying key, settings and the expected public
/// (quantized) inputs and outputs. `Ok(false)` for a proof that does not verify;
/// `Err` for malformed bytes (`BAD_PROOF_FORMAT`), artifacts of different models
/// (`MODEL_MISMATCH`) or public inputs of the wrong shape (`SHAPE_MISMATCH`).
pub fn verify(
    vk: &VerifyingKey,
    settings: &Settings,
    srs: &Srs,
    proof: &[u8],
    public_inputs: &PublicInputs,
) -> Result<bool, Error> {
    let hash = settings.model_hash_bytes()?;
    if vk.model_hash != hash {
        return Err(Error::new(
            ErrorCode::ModelMismatch,
            "verifying key belongs to another model",
        ));
    }
    let env = open(proof, PROOF_MAGIC, false, ErrorCode::BadProofFormat)?;
    if env.model_hash != hash || env.k != settings.k {
        return Err(Error::new(
            ErrorCode::ModelMismatch,
            "proof belongs to another model",
        ));
    }
    check_shapes(settings, public_inputs)?;
    let params = srs.for_k(settings.k, "verify")?;
    let instance = instance_column(public_inputs);
    let ok = catch_unwind(AssertUnwindSafe(|| {
        let mut reader = env.payload;
        let valid = {
            let mut transcript = Blake2bRead::<_, G1Affine, Challenge255<_>>::init(&mut reader);
            let strategy = SingleStrategy::new(&params);
            verify_proof::<KZGCommitmentScheme<Bn256>, VerifierSHPLONK<'_, Bn256>, _, _, _>(
                &*params,
                &vk.vk,
                strategy,
                &[&[&instance]],
                &mut transcript,
            )
            .is_ok()
        };
        valid && reader.is_empty()
    }));
    Ok(ok.unwrap_or(false))
}
