//! The real Omron subnet LSTM (read from ../shared/fixtures/omron-lstm, never committed):
//! the proven output against onnxruntime's reference values, and (ignored, slow) 20
//! verified proofs on the validator's input distribution against tract's float run.

mod common;

use omron_prover::{compile, prove, setup, verify, CompileOptions, CompiledModel, ProveControl};
use omron_prover::{ProvingKey, VerifyingKey};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;
use tract_onnx::prelude::*;

const BOUND: f64 = 1e-2;

fn fixture() -> Option<Vec<u8>> {
    // $OMRON_SHARED_DIR, else ../shared next to the repository.
    let shared = std::env::var_os("OMRON_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let path = shared.join("fixtures/omron-lstm/network.onnx");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!(
                "SKIPPED: the Omron LSTM fixture is absent ({}); these tests need ../shared/fixtures/omron-lstm",
                path.display()
            );
            None
        }
    }
}

fn keys(onnx: &[u8]) -> (CompiledModel, ProvingKey, VerifyingKey) {
    let model = compile(onnx, &CompileOptions::default()).expect("compile");
    assert_eq!(model.settings().input_shapes, vec![vec![1, 5, 1]]);
    let (pk, vk) = setup(&model, common::srs()).expect("setup");
    (model, pk, vk)
}

fn float_model(onnx: &[u8]) -> Arc<TypedRunnableModel> {
    tract_onnx::onnx()
        .model_for_read(&mut &onnx[..])
        .unwrap()
        .into_optimized()
        .unwrap()
        .into_runnable()
        .unwrap()
}

fn run_float(m: &Arc<TypedRunnableModel>, input: &[f64]) -> f64 {
    let data: Vec<f32> = input.iter().map(|&x| x as f32).collect();
    let out = m
        .run(tvec!(Tensor::from_shape(&[1, 5, 1], &data).unwrap().into()))
        .unwrap();
    f64::from(out[0].to_plain_array_view::<f32>().unwrap()[[0, 0]])
}

#[test]
fn omron_lstm_proven_output_matches_onnxruntime() {
    let Some(onnx) = fixture() else { return };
    let (model, pk, vk) = keys(&onnx);
    let s = model.settings();
    let input = vec![
        1.514470100402832,
        1.519423007965088,
        1.5182757377624512,
        1.5262789726257324,
        1.5298409461975098,
    ];
    let out = prove(
        &model,
        &pk,
        common::srs(),
        &[input],
        ProveControl::default(),
    )
    .unwrap();
    assert!(verify(&vk, s, common::srs(), &out.proof, &out.public_inputs).unwrap());
    let got = out.outputs[0][0];
    println!(
        "omron lstm: k={} rows={} width={} proof={} B prove={:.0} ms output {got} (onnxruntime -0.18620190, error {:.2e})",
        s.k,
        s.rows,
        s.columns.width,
        out.proof.len(),
        out.timings.prove_ms,
        (got + 0.18620190).abs()
    );
    assert!((got - -0.18620190).abs() < BOUND, "{got}");
    assert!(
        out.proof.len() <= 4192,
        "proof of {} bytes",
        out.proof.len()
    );

    let w = omron_prover::testing::tamperable(&model, &[vec![0.1, 0.2, 0.3, 0.4, 0.5]]).unwrap();
    let second = omron_prover::quant::dequantize(w.public.outputs[0][0], s.scales.output);
    assert!((second - -0.15976153).abs() < BOUND, "{second}");
}

/// 20 proofs on inputs from U[0, 0.85) (the validator's distribution), each verified and
/// within the bound of tract's float output. Slow: run with --ignored.
#[test]
#[ignore = "slow: 20 real proofs; CI runs it with --ignored"]
fn omron_lstm_random_inputs_prove_and_verify() {
    let Some(onnx) = fixture() else { return };
    let (model, pk, vk) = keys(&onnx);
    let float = float_model(&onnx);
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let mut worst = 0f64;
    for _ in 0..20 {
        let input: Vec<f64> = (0..5).map(|_| rng.gen_range(0.0..0.85)).collect();
        let out = prove(
            &model,
            &pk,
            common::srs(),
            std::slice::from_ref(&input),
            ProveControl::default(),
        )
        .unwrap();
        assert!(verify(
            &vk,
            model.settings(),
            common::srs(),
            &out.proof,
            &out.public_inputs
        )
        .unwrap());
        worst = worst.max((out.outputs[0][0] - run_float(&float, &input)).abs());
    }
    println!("omron lstm: 20 proofs verified, max |error| vs float = {worst:.2e}");
    assert!(worst < BOUND, "error {worst}");
}
