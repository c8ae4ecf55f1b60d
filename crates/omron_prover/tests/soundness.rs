//! Soundness: changing one witness cell of any op kind makes MockProver fail; range
//! checks bite on their own; tampered proofs and mismatched artifacts are rejected.
//! Also the end-to-end MLP proof through the public API (same binary: keys are shared).

mod common;

use common::{compiled, keyed, random_inputs, srs, MODELS};
use omron_prover::testing::{
    block_cells, mock_verify, prove_advice, remainder_column, tamperable, Cell,
};
use omron_prover::{prove, quantize_inputs, verify, ErrorCode, ProveControl, Stage};
use std::sync::Mutex;

#[test]
fn honest_witnesses_satisfy_every_constraint() {
    for name in MODELS {
        let model = compiled(name);
        let w = tamperable(&model, &random_inputs(&model, 1)).unwrap();
        mock_verify(&model, &w.advice, &w.public).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
}

/// For every op kind in every model: bump the output cell of (up to) three ops of that
/// kind, one at a time, and expect a constraint failure.
#[test]
fn changing_one_cell_of_any_op_kind_fails() {
    let mut kinds_seen = std::collections::BTreeSet::new();
    for name in MODELS {
        let model = compiled(name);
        let w = tamperable(&model, &random_inputs(&model, 2)).unwrap();
        let mut kinds: Vec<&str> = w.ops.iter().map(|o| o.0).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            let cells: Vec<Cell> = w.ops.iter().filter(|o| o.0 == kind).map(|o| o.1).collect();
            for cell in [cells[0], cells[cells.len() / 2], cells[cells.len() - 1]] {
                let mut advice = w.advice.clone();
                advice[cell.col][cell.row] += 1;
                let failures = mock_verify(&model, &advice, &w.public).expect_err(kind);
                assert!(!failures.is_empty(), "{name}/{kind}");
            }
            kinds_seen.insert(kind);
        }
    }
    let expected = [
        "dot", "input", "mul", "product", "relu", "rescale", "sigmoid", "tanh",
    ];
    assert_eq!(kinds_seen.into_iter().collect::<Vec<_>>(), expected);
}

/// A consistent-looking requantization witness with the remainder pushed out of
/// range (x + half = (q−1)·2^d + (r + 2^d)) passes the gate but fails the lookup.
#[test]
fn out_of_range_remainder_fails_the_lookup() {
    let model = compiled("mlp");
    let w = tamperable(&model, &random_inputs(&model, 3)).unwrap();
    let &(_, out) = w.ops.iter().find(|o| o.0 == "relu").unwrap();
    let rem = remainder_column(&model, out).expect("a requantization block");
    let (r0, r1) = (out.row - 2, out.row - 1);
    let mut advice = w.advice.clone();
    let d = 13;
    advice[rem][r0] += 1 << d; // remainder
    advice[out.col][r1] -= 1; // quotient
    advice[rem][r1] -= 1; // lo, so q = hi·2^e + lo still holds
    let failures = mock_verify(&model, &advice, &w.public).unwrap_err();
    assert!(
        failures.iter().any(|f| f.contains("Lookup")),
        "{failures:?}"
    );
}

/// Remainders are held as top·2^(w−2) + low with only the low part in the table (so a
/// 2^13 remainder needs a 2^11 section). Rounding one step down, x + half =
/// (q−1)·2^d + (r + 2^d), puts 4 more in the top part and keeps every lookup, copy and
/// the other constraints satisfied: only the gate top ∈ {0, 1, 2, 3} catches it, in
/// MockProver and in a real proof.
#[test]
fn a_remainder_top_part_outside_0_to_3_fails() {
    let keys = keyed("sigmoid_tanh");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let inputs = random_inputs(model, 6);
    let w = tamperable(model, &inputs).unwrap();
    mock_verify(model, &w.advice, &w.public).unwrap();
    // A table-function block (its output depends on hi only) whose lo can drop by one
    // without borrowing from its top part.
    let (cx, cr, cy, r0) = w
        .ops
        .iter()
        .filter(|o| matches!(o.0, "sigmoid" | "tanh"))
        .filter_map(|o| block_cells(model, o.1))
        .find(|&(_, cr, _, r0)| w.advice[cr][r0 + 1] > 0)
        .expect("a table block with a non-zero low part of lo");
    let mut advice = w.advice.clone();
    advice[cx][r0 + 1] -= 1; // q − 1
    advice[cy][r0] += 4; // remainder + 2^d: its top part + 4
    advice[cr][r0 + 1] -= 1; // lo − 1, so q = hi·2^e + lo still holds
    let failures = mock_verify(model, &advice, &w.public).unwrap_err();
    assert!(
        failures
            .iter()
            .all(|f| f.contains("requantize") && !f.contains("Lookup")),
        "{failures:?}"
    );
    let proof = prove_advice(model, pk, srs(), &advice, &w.public);
    assert!(!verify(vk, model.settings(), srs(), &proof, &w.public).unwrap());
}

/// The same for lo's top part: q = (hi−1)·2^e + (lo + 2^e) in a rescale block with
/// hi > 0 (so its sign lookup and output are unchanged) fails only the top-part gate.
#[test]
fn a_low_part_top_outside_0_to_3_fails() {
    for name in MODELS {
        let model = compiled(name);
        let w = tamperable(&model, &random_inputs(&model, 7)).unwrap();
        let Some((_, cr, cy, r0)) = w
            .ops
            .iter()
            .filter(|o| o.0 == "rescale")
            .filter_map(|o| block_cells(&model, o.1))
            .find(|&(_, cr, _, r0)| w.advice[cr][r0 + 2] > 0)
        else {
            continue;
        };
        let mut advice = w.advice.clone();
        advice[cr][r0 + 2] -= 1; // hi − 1 (still ≥ 0: same sign row)
        advice[cy][r0 + 1] += 4; // lo + 2^e: its top part + 4
        let failures = mock_verify(&model, &advice, &w.public).unwrap_err();
        assert!(
            failures
                .iter()
                .all(|f| f.contains("requantize") && !f.contains("Lookup")),
            "{name}: {failures:?}"
        );
        return;
    }
    panic!("no test model has a rescale block with hi > 0");
}

#[test]
fn tampered_proofs_and_mismatched_artifacts_are_rejected() {
    let keys = keyed("mlp");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let s = model.settings();
    let inputs = random_inputs(model, 4);
    let out = prove(model, pk, srs(), &inputs, ProveControl::default()).unwrap();
    assert!(verify(vk, s, srs(), &out.proof, &out.public_inputs).unwrap());

    for at in [60, out.proof.len() / 2, out.proof.len() - 1] {
        let mut bad = out.proof.clone();
        bad[at] ^= 1;
        assert!(
            !verify(vk, s, srs(), &bad, &out.public_inputs).unwrap(),
            "flip at {at}"
        );
    }
    let mut longer = out.proof.clone();
    longer.push(0);
    assert_eq!(
        verify(vk, s, srs(), &longer, &out.public_inputs)
            .unwrap_err()
            .code(),
        ErrorCode::BadProofFormat
    );

    let mut changed = out.public_inputs.clone();
    changed.outputs[0][3] += 1;
    assert!(!verify(vk, s, srs(), &out.proof, &changed).unwrap());

    let other = random_inputs(model, 5);
    let mut other_public = out.public_inputs.clone();
    other_public.inputs = quantize_inputs(s, &other).unwrap();
    assert!(!verify(vk, s, srs(), &out.proof, &other_public).unwrap());

    let cnn = keyed("cnn");
    let err = verify(&cnn.2, s, srs(), &out.proof, &out.public_inputs).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ModelMismatch);
    let err = verify(
        &cnn.2,
        cnn.0.settings(),
        srs(),
        &out.proof,
        &out.public_inputs,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ModelMismatch);
    let err = prove(
        &cnn.0,
        pk,
        srs(),
        &random_inputs(&cnn.0, 1),
        ProveControl::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ModelMismatch);
}

#[test]
fn mlp_proves_and_verifies() {
    let keys = keyed("mlp");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let s = model.settings();
    assert_eq!(s.input_shapes, vec![vec![1, 784]]);
    assert_eq!(s.output_shapes, vec![vec![1, 10]]);
    let inputs = random_inputs(model, 7);
    let stages = Mutex::new(Vec::new());
    let on_progress = |st: Stage, _f: f64| stages.lock().unwrap().push(st);
    let control = ProveControl {
        on_progress: Some(&on_progress),
        cancel: None,
    };
    let out = prove(model, pk, srs(), &inputs, control).expect("prove");
    assert_eq!(
        *stages.lock().unwrap(),
        vec![Stage::Witness, Stage::Prove, Stage::Done]
    );
    assert_eq!(out.outputs[0].len(), 10);
    assert_eq!(
        out.public_inputs.inputs,
        quantize_inputs(s, &inputs).unwrap()
    );
    assert!(verify(vk, s, srs(), &out.proof, &out.public_inputs).unwrap());
    println!(
        "mlp: k={} width={} proof={} B timings={:?}",
        s.k,
        s.columns.width,
        out.proof.len(),
        out.timings
    );
}
