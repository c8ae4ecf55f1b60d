//! Sliced models: 4-slice chains of the MLP, CNN and LSTM prove and verify against the
//! verifier's own inputs, agree exactly with the whole model's forward pass, and every
//! tampering class (swapped, dropped, reordered, re-proven with another input, a changed
//! boundary value) fails.

mod common;

use common::{onnx, srs};
use omron_prover::{
    compile_slices, forward, prove_quantized, quantize_inputs, setup, verify_chain, CompileOptions,
    CompiledModel, ErrorCode, ProveControl, ProvingKey, SliceBudget, SliceProof, SlicedModel,
    VerifyingKey,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

struct Chain {
    sliced: SlicedModel,
    keys: Vec<(ProvingKey, VerifyingKey)>,
}

fn chain(name: &str, count: usize) -> Chain {
    let sliced = compile_slices(
        &onnx(name),
        &CompileOptions::default(),
        SliceBudget::Count(count),
    )
    .expect("compile slices");
    let keys = sliced
        .slices()
        .par_iter()
        .map(|m| setup(m, srs()).expect("setup"))
        .collect();
    Chain { sliced, keys }
}

fn inputs_for(model: &CompiledModel, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    model
        .settings()
        .input_shapes
        .iter()
        .map(|s| {
            (0..s.iter().product::<usize>())
                .map(|_| rng.gen_range(-1.0..1.0))
                .collect()
        })
        .collect()
}

impl Chain {
    fn prove(&self, inputs: &[Vec<f64>]) -> Vec<SliceProof> {
        let publics = self.sliced.forward(inputs).expect("forward");
        self.sliced
            .slices()
            .par_iter()
            .zip(&self.keys)
            .zip(publics)
            .map(|((model, (pk, _)), public)| {
                let out = prove_quantized(
                    model,
                    pk,
                    srs(),
                    public.inputs.clone(),
                    ProveControl::default(),
                )
                .expect("prove slice");
                assert_eq!(out.public_inputs, public, "proof binds the forward values");
                SliceProof {
                    proof: out.proof,
                    public_inputs: out.public_inputs,
                }
            })
            .collect()
    }

    fn verify(&self, parts: &[SliceProof], inputs: &[Vec<i64>], outputs: &[Vec<i64>]) -> bool {
        let keys: Vec<_> = self
            .keys
            .iter()
            .zip(self.sliced.slices())
            .map(|((_, vk), m)| (vk, m.settings()))
            .collect();
        verify_chain(&keys, srs(), parts, inputs, outputs).expect("verify chain")
    }
}

/// A 4-slice chain proves and verifies; its outputs are exactly the whole model's.
fn four_slices_verify(name: &str) {
    let c = chain(name, 4);
    let slices = c.sliced.slices();
    assert_eq!(slices.len(), 4);
    for (i, s) in slices.iter().enumerate() {
        let info = s.settings().slice.as_ref().expect("slice info");
        assert_eq!((info.index, info.count), (i, 4));
        assert_eq!(info.model_hash, c.sliced.model_hash());
    }
    let inputs = inputs_for(&slices[0], 7);
    let whole = forward(&onnx(name), &CompileOptions::default(), &inputs).unwrap();
    let parts = c.prove(&inputs);
    let own = quantize_inputs(slices[0].settings(), &inputs).unwrap();
    assert_eq!(own, whole.public_inputs.inputs);
    assert_eq!(
        parts[3].public_inputs.outputs, whole.public_inputs.outputs,
        "the chain's outputs are the whole model's"
    );
    assert!(c.verify(&parts, &own, &whole.public_inputs.outputs));
    println!(
        "{name}: slice k {:?}, rows {:?}, boundary sizes {:?}",
        slices.iter().map(|s| s.settings().k).collect::<Vec<_>>(),
        slices.iter().map(|s| s.settings().rows).collect::<Vec<_>>(),
        c.sliced.boundary_lens()
    );
}

#[test]
fn mlp_four_slices_verify() {
    four_slices_verify("mlp");
}

#[test]
fn cnn_four_slices_verify() {
    four_slices_verify("cnn");
}

#[test]
fn lstm_four_slices_verify() {
    four_slices_verify("lstm");
}

#[test]
fn tampered_chains_fail() {
    let c = chain("mlp", 4);
    let slices = c.sliced.slices();
    let (a, b) = (inputs_for(&slices[0], 1), inputs_for(&slices[0], 2));
    let parts = c.prove(&a);
    let other = c.prove(&b);
    let own = quantize_inputs(slices[0].settings(), &a).unwrap();
    let claimed = parts[3].public_inputs.outputs.clone();
    assert!(
        c.verify(&parts, &own, &claimed),
        "the honest chain verifies"
    );

    // Swapped: two slices trade places.
    let mut swapped = parts.clone();
    swapped.swap(1, 2);
    assert!(!c.verify(&swapped, &own, &claimed));
    // Dropped: a slice is missing.
    let mut dropped = parts.clone();
    dropped.remove(2);
    assert!(!c.verify(&dropped, &own, &claimed));
    // Reordered: the whole chain reversed.
    let reversed: Vec<_> = parts.iter().rev().cloned().collect();
    assert!(!c.verify(&reversed, &own, &claimed));
    // Re-proven with another input, with its own public values: the boundary breaks.
    let mut mixed = parts.clone();
    mixed[2] = other[2].clone();
    assert!(!c.verify(&mixed, &own, &claimed));
    // Re-proven with another input, presented with this chain's public values: the
    // proof no longer matches them.
    let mut relabelled = parts.clone();
    relabelled[2].proof = other[2].proof.clone();
    assert!(!c.verify(&relabelled, &own, &claimed));
    // A whole chain for another input fails against the verifier's own inputs, and with
    // its outputs claimed for this input.
    let other_out = other[3].public_inputs.outputs.clone();
    assert!(!c.verify(&other, &own, &other_out));
    assert!(!c.verify(&parts, &own, &other_out));
    // One boundary value changed on both sides: neither proof is bound to it.
    let mut shifted = parts.clone();
    shifted[1].public_inputs.outputs[0][0] += 1;
    shifted[2].public_inputs.inputs[0][0] += 1;
    assert!(!c.verify(&shifted, &own, &claimed));
    // Slice 0 given a changed first input (and the verifier told so): the proof fails.
    let mut moved = parts.clone();
    moved[0].public_inputs.inputs[0][0] += 1;
    let mut own_moved = own.clone();
    own_moved[0][0] += 1;
    assert!(!c.verify(&moved, &own_moved, &claimed));
    // Garbage proof bytes are a typed error, not a panic.
    let mut garbage = parts.clone();
    garbage[1].proof = vec![1, 2, 3];
    let keys: Vec<_> = c
        .keys
        .iter()
        .zip(slices)
        .map(|((_, vk), m)| (vk, m.settings()))
        .collect();
    let err = verify_chain(&keys, srs(), &garbage, &own, &claimed).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadProofFormat);
    // Keys out of order are the caller's mistake: BAD_SETTINGS.
    let mut wrong_keys = keys.clone();
    wrong_keys.swap(0, 1);
    let err = verify_chain(&wrong_keys, srs(), &parts, &own, &claimed).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadSettings);
}

#[test]
fn row_budget_and_bad_counts() {
    let bytes = onnx("cnn");
    let o = CompileOptions::default();
    let whole = omron_prover::compile(&bytes, &o).unwrap();
    let budget = whole.settings().rows / 2;
    let sliced = compile_slices(&bytes, &o, SliceBudget::MaxRows(budget)).unwrap();
    assert!(sliced.slices().len() >= 2);
    for s in sliced.slices() {
        assert!(s.settings().rows <= budget, "slice within the row budget");
    }
    let one = compile_slices(&bytes, &o, SliceBudget::Count(1)).unwrap();
    assert_eq!(one.slices().len(), 1);
    assert_eq!(one.slices()[0].settings().rows, whole.settings().rows);
    for bad in [0, 10_000] {
        let err = compile_slices(&bytes, &o, SliceBudget::Count(bad)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadSettings);
    }
    let inputs = inputs_for(&sliced.slices()[0], 3);
    let mut short = inputs.clone();
    short[0].pop();
    assert_eq!(
        sliced.forward(&short).unwrap_err().code(),
        ErrorCode::ShapeMismatch
    );
}

/// The boundary is bound in-circuit: slice 0's honest witness satisfies every constraint,
/// and moving any one of its public boundary values (keeping the witness) breaks it.
#[test]
fn a_moved_boundary_value_breaks_the_slice_circuit() {
    use omron_prover::testing::{mock_verify, tamperable};
    let sliced = compile_slices(
        &onnx("cnn"),
        &CompileOptions::default(),
        SliceBudget::Count(3),
    )
    .unwrap();
    let first = &sliced.slices()[0];
    let w = tamperable(first, &inputs_for(first, 5)).unwrap();
    mock_verify(first, &w.advice, &w.public).expect("honest slice witness");
    let n = w.public.outputs[0].len();
    assert_eq!(n, sliced.boundary_lens()[0]);
    for j in [0, n / 2, n - 1] {
        let mut public = w.public.clone();
        public.outputs[0][j] += 1;
        assert!(
            mock_verify(first, &w.advice, &public).is_err(),
            "boundary value {j} moved"
        );
    }
}
