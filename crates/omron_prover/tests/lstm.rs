//! The project's LSTM model (Omron benchmark architecture, own weights): fidelity
//! against tract's float run, constraint soundness of the unrolled cell, a real proof.

mod common;

use common::{keyed, reference, run_reference, srs};
use omron_prover::testing::{mock_verify, tamperable};
use omron_prover::{prove, quant::dequantize, verify, ProveControl};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const BOUND: f64 = 1e-2;

/// Five floats from U[lo, hi), the validator's input distribution for this circuit.
fn sequence(seed: u64, lo: f64, hi: f64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    vec![(0..5).map(|_| rng.gen_range(lo..hi)).collect()]
}

#[test]
fn lstm_witness_matches_float_reference() {
    let model = common::compiled("lstm");
    let s = model.settings();
    assert_eq!(s.input_shapes, vec![vec![1, 5, 1]]);
    assert_eq!(s.output_shapes, vec![vec![1, 1]]);
    let runnable = reference("lstm", &model);
    let mut worst = 0f64;
    for seed in 0..100 {
        let (lo, hi) = if seed % 2 == 0 {
            (0.0, 0.85)
        } else {
            (-1.5, 1.5)
        };
        let inputs = sequence(seed, lo, hi);
        let w = tamperable(&model, &inputs).expect("witness");
        let got = dequantize(w.public.outputs[0][0], s.scales.output);
        let expected = run_reference(&runnable, &model, &inputs[0])[0];
        worst = worst.max((got - expected).abs());
    }
    println!(
        "lstm: k={} rows={} width={} max |error| = {worst:.2e} over 100 inputs",
        s.k, s.rows, s.columns.width
    );
    assert!(worst < BOUND, "error {worst} exceeds {BOUND}");
}

#[test]
fn lstm_constraints_hold_and_tampered_cells_fail() {
    let model = common::compiled("lstm");
    let w = tamperable(&model, &sequence(1, 0.0, 0.85)).unwrap();
    mock_verify(&model, &w.advice, &w.public).expect("honest witness");
    // The cell update c = i·g + f·c_prev (a product fused with a term), a gate's
    // sigmoid and the final output, one at a time.
    let muls: Vec<_> = w.ops.iter().filter(|o| o.0 == "mul").map(|o| o.1).collect();
    let sigmoid = w.ops.iter().find(|o| o.0 == "sigmoid").unwrap().1;
    for cell in [muls[muls.len() / 2], sigmoid] {
        let mut advice = w.advice.clone();
        advice[cell.col][cell.row] += 1;
        assert!(mock_verify(&model, &advice, &w.public).is_err(), "{cell:?}");
    }
}

#[test]
fn lstm_proves_and_verifies() {
    let keys = keyed("lstm");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let s = model.settings();
    let inputs = sequence(42, 0.0, 0.85);
    let out = prove(model, pk, srs(), &inputs, ProveControl::default()).expect("prove");
    assert!(verify(vk, s, srs(), &out.proof, &out.public_inputs).unwrap());
    let expected = run_reference(&reference("lstm", model), model, &inputs[0])[0];
    assert!((out.outputs[0][0] - expected).abs() < BOUND);
    let mut changed = out.public_inputs.clone();
    changed.outputs[0][0] += 1;
    assert!(!verify(vk, s, srs(), &out.proof, &changed).unwrap());
    println!(
        "lstm: k={} proof={} B timings={:?}",
        s.k,
        out.proof.len(),
        out.timings
    );
}
