//! Verifying a chain of slice proofs against one claim: these inputs gave these outputs.

use crate::error::{Error, ErrorCode};
use crate::keys::VerifyingKey;
use crate::prove::PublicInputs;
use crate::settings::Settings;
use crate::srs::Srs;
use crate::verify::verify;
use rayon::prelude::*;

/// One slice's proof with the public values it is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SliceProof {
    /// Proof bytes, as [`crate::prove_quantized`] made them.
    pub proof: Vec<u8>,
    /// The slice's quantized inputs and outputs.
    pub public_inputs: PublicInputs,
}

fn flat(v: &[Vec<i64>]) -> impl Iterator<Item = &i64> {
    v.iter().flatten()
}

/// Checks a chain of K slice proofs of one sliced model against the verifier's own
/// quantized `inputs` and the claimed `outputs`: slice 0's inputs are exactly `inputs`,
/// each slice's outputs are exactly the next slice's inputs, the last outputs are exactly
/// `outputs`, and every proof verifies with its slice's key (in parallel).
///
/// `keys` are the slices' verifying keys and settings in chain order; a list that is not
/// one model's complete chain is `BAD_SETTINGS`. `Ok(false)` for a chain that does not
/// prove the claim — a missing, extra, swapped or reordered slice, a boundary that differs,
/// a proof for other values; `Err(BAD_PROOF_FORMAT)` for malformed proof bytes.
pub fn verify_chain(
    keys: &[(&VerifyingKey, &Settings)],
    srs: &Srs,
    chain: &[SliceProof],
    inputs: &[Vec<i64>],
    outputs: &[Vec<i64>],
) -> Result<bool, Error> {
    check_keys(keys)?;
    let k = keys.len();
    if chain.len() != k {
        return Ok(false);
    }
    let first = &chain[0].public_inputs;
    let last = &chain[k - 1].public_inputs;
    if first.inputs != inputs || last.outputs != outputs {
        return Ok(false);
    }
    for pair in chain.windows(2) {
        let (a, b) = (
            &pair[0].public_inputs.outputs,
            &pair[1].public_inputs.inputs,
        );
        if flat(a).ne(flat(b)) || a.len() != b.len() {
            return Ok(false);
        }
    }
    let results: Vec<Result<bool, Error>> = keys
        .par_iter()
        .zip(chain)
        .map(|((vk, settings), part)| {
            match verify(vk, settings, srs, &part.proof, &part.public_inputs) {
                // A proof of another slice, or values of another slice's shape: not this chain.
                Err(e)
                    if matches!(
                        e.code(),
                        ErrorCode::ModelMismatch | ErrorCode::ShapeMismatch
                    ) =>
                {
                    Ok(false)
                }
                other => other,
            }
        })
        .collect();
    let mut valid = true;
    for r in results {
        valid &= r?;
    }
    Ok(valid)
}

/// The keys must be slices 0..K of one model, in order.
fn check_keys(keys: &[(&VerifyingKey, &Settings)]) -> Result<(), Error> {
    let bad = |m: &str| Error::new(ErrorCode::BadSettings, m.to_string());
    let Some(first) = keys.first() else {
        return Err(bad("a chain needs at least one slice"));
    };
    let parent = first.1.slice.as_ref().map(|s| &s.model_hash);
    for (i, (_, settings)) in keys.iter().enumerate() {
        match &settings.slice {
            Some(s) if s.index == i && s.count == keys.len() && Some(&s.model_hash) == parent => {}
            _ => {
                return Err(bad(&format!(
                    "settings {i} are not slice {i} of {} of one model",
                    keys.len()
                )))
            }
        }
    }
    Ok(())
}
