//! Fidelity: dequantized circuit outputs against tract's float run of the same ONNX.

mod common;

use common::{compiled, random_inputs, reference, run_reference, MODELS};
use omron_prover::testing::tamperable;
use omron_prover::{quant::dequantize, ProveControl};

const SAMPLES: u64 = 50;
const BOUND: f64 = 1e-2;

/// Largest |circuit − float| over `SAMPLES` random inputs, with the largest |output|.
fn worst_error(name: &str) -> (f64, f64) {
    let model = compiled(name);
    let runnable = reference(name, &model);
    let scale = model.settings().scales.output;
    let (mut worst, mut magnitude) = (0f64, 0f64);
    for seed in 0..SAMPLES {
        let inputs = random_inputs(&model, seed);
        let w = tamperable(&model, &inputs).expect("witness");
        let expected = run_reference(&runnable, &model, &inputs[0]);
        let got: Vec<f64> = w.public.outputs[0]
            .iter()
            .map(|&v| dequantize(v, scale))
            .collect();
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            worst = worst.max((g - e).abs());
            magnitude = magnitude.max(e.abs());
        }
    }
    (worst, magnitude)
}

#[test]
fn every_model_is_within_bound_of_float_reference() {
    for name in MODELS {
        let (worst, magnitude) = worst_error(name);
        println!(
            "{name}: max |error| = {worst:.2e} over {SAMPLES} inputs (max |output| {magnitude:.3})"
        );
        assert!(worst < BOUND, "{name}: error {worst} exceeds {BOUND}");
    }
}

/// The same check through real proofs (each output verified); slow, run by CI with --ignored.
#[test]
#[ignore = "slow: real proofs of every test model; CI runs it with --ignored"]
fn proven_outputs_are_within_bound_of_float_reference() {
    for name in MODELS {
        let keys = common::keyed(name);
        let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
        let runnable = reference(name, model);
        let mut worst = 0f64;
        for seed in 0..SAMPLES {
            let inputs = random_inputs(model, seed);
            let out =
                omron_prover::prove(model, pk, common::srs(), &inputs, ProveControl::default())
                    .unwrap();
            assert!(omron_prover::verify(
                vk,
                model.settings(),
                common::srs(),
                &out.proof,
                &out.public_inputs
            )
            .unwrap());
            let expected = run_reference(&runnable, model, &inputs[0]);
            for (g, e) in out.outputs[0].iter().zip(&expected) {
                worst = worst.max((g - e).abs());
            }
        }
        println!("{name}: proven max |error| = {worst:.2e}");
        assert!(worst < BOUND);
    }
}
