//! The challenge (Freivalds) check of layers whose weights are reused across positions
//! (conv kernels over an image, LSTM weights over time steps): honest witnesses pass, and
//! a wrong product of the right shape — every gate, lookup and copy outside the check
//! still consistent — fails in MockProver and in a real proof.

mod common;

use common::{compiled, keyed, random_inputs, srs};
use omron_prover::testing::{mock_verify, prove_advice, shift_product, tamperable};
use omron_prover::{prove, verify, ProveControl};

const CHECKED: [&str; 2] = ["cnn", "lstm"];

fn products(model: &omron_prover::CompiledModel, seed: u64) -> Vec<usize> {
    let w = tamperable(model, &random_inputs(model, seed)).unwrap();
    (0..w.ops.len())
        .filter(|&i| w.ops[i].0 == "product")
        .collect()
}

#[test]
fn reused_weights_use_the_challenge_check_and_honest_witnesses_pass() {
    for name in CHECKED {
        let model = compiled(name);
        assert_eq!(model.settings().columns.phase2, 3, "{name}");
        assert!(!products(&model, 1).is_empty(), "{name}");
        let w = tamperable(&model, &random_inputs(&model, 1)).unwrap();
        mock_verify(&model, &w.advice, &w.public).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
    // A batch-1 Gemm uses each weight once: nothing to gain, plain dot rows.
    assert_eq!(compiled("mlp").settings().columns.phase2, 0);
}

#[test]
fn a_wrong_product_of_the_right_shape_fails_the_check() {
    for name in CHECKED {
        let model = compiled(name);
        let ids = products(&model, 2);
        for op in [ids[0], ids[ids.len() / 2], ids[ids.len() - 1]] {
            let mut w = tamperable(&model, &random_inputs(&model, 2)).unwrap();
            assert!(shift_product(&model, &mut w, op));
            let failures = mock_verify(&model, &w.advice, &w.public).unwrap_err();
            // Only the check's closing gate (Σ_p s^p R_p = Σ_k v_k Z_k) notices.
            assert!(
                failures.iter().all(|f| f.contains("check closes")),
                "{name}/{op}: {failures:?}"
            );
        }
    }
}

#[test]
fn a_real_proof_with_a_wrong_product_does_not_verify() {
    let keys = keyed("cnn");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let inputs = random_inputs(model, 3);
    let honest = prove(model, pk, srs(), &inputs, ProveControl::default()).unwrap();
    assert!(verify(
        vk,
        model.settings(),
        srs(),
        &honest.proof,
        &honest.public_inputs
    )
    .unwrap());

    let w = tamperable(model, &inputs).unwrap();
    let same = prove_advice(model, pk, srs(), &w.advice, &w.public);
    assert!(verify(vk, model.settings(), srs(), &same, &w.public).unwrap());

    let ids = products(model, 3);
    let mut w = tamperable(model, &inputs).unwrap();
    assert!(shift_product(model, &mut w, ids[ids.len() / 3]));
    let bad = prove_advice(model, pk, srs(), &w.advice, &w.public);
    assert!(!verify(vk, model.settings(), srs(), &bad, &w.public).unwrap());
}

/// Requantization blocks packed side by side: in every slot of a band, changing the
/// output, quotient or remainder of a block fails (its own gate and lookup bite).
#[test]
fn a_wrong_cell_in_any_packed_slot_fails() {
    use omron_prover::testing::remainder_column;
    use omron_prover::{compile, CompileOptions};
    let options = CompileOptions {
        act_groups: Some(3),
        ..Default::default()
    };
    let model = compile(&common::onnx("lstm"), &options).unwrap();
    assert_eq!(model.settings().columns.act_groups, 3);
    assert_eq!(model.settings().columns.lookups, 3);
    let w = tamperable(&model, &random_inputs(&model, 4)).unwrap();
    mock_verify(&model, &w.advice, &w.public).unwrap();
    let mut slots_seen = std::collections::BTreeSet::new();
    for (kind, out) in &w.ops {
        if !matches!(*kind, "rescale" | "relu" | "sigmoid" | "tanh") {
            continue;
        }
        let rem = remainder_column(&model, *out).expect("a block");
        if !slots_seen.insert(rem) {
            continue;
        }
        for (col, row) in [
            (out.col, out.row),
            (out.col, out.row - 1),
            (rem, out.row - 2),
            (rem, out.row),
        ] {
            let mut advice = w.advice.clone();
            advice[col][row] += 1;
            assert!(
                mock_verify(&model, &advice, &w.public).is_err(),
                "{kind} slot with remainder column {rem}: cell ({col}, {row})"
            );
        }
    }
    assert_eq!(slots_seen.len(), 3, "every slot was tampered");
}
