//! The ops real exported models use (tooling/models/{vision,activations,norm}.onnx):
//! fidelity against tract's float run, agreement of the stand-alone integer forward pass
//! with the proof witness, and malicious witnesses (one changed cell of every op kind)
//! failing MockProver.

mod common;

use common::{compiled, onnx, random_inputs, reference, run_reference};
use omron_prover::testing::{mock_verify, tamperable, Cell};
use omron_prover::{compile, forward, quant::dequantize, CompileOptions, ErrorCode};

const OPS_MODELS: [&str; 5] = ["vision", "conv_autopad", "activations", "norm", "gru"];
const SAMPLES: u64 = 30;
const BOUND: f64 = 1e-2;

#[test]
fn new_op_models_are_within_bound_of_float_reference() {
    for name in OPS_MODELS {
        let model = compiled(name);
        let runnable = reference(name, &model);
        let scale = model.settings().scales.output;
        let (mut worst, mut magnitude) = (0f64, 0f64);
        for seed in 0..SAMPLES {
            let inputs = random_inputs(&model, seed);
            let w = tamperable(&model, &inputs).expect("witness");
            let expected = run_reference(&runnable, &model, &inputs[0]);
            assert_eq!(w.public.outputs[0].len(), expected.len(), "{name}");
            for (g, e) in w.public.outputs[0].iter().zip(&expected) {
                worst = worst.max((dequantize(*g, scale) - e).abs());
                magnitude = magnitude.max(e.abs());
            }
        }
        println!(
            "{name}: k={} max |error| = {worst:.2e} over {SAMPLES} inputs (max |output| {magnitude:.3})",
            model.settings().k
        );
        assert!(worst < BOUND, "{name}: error {worst} exceeds {BOUND}");
    }
}

#[test]
fn forward_pass_equals_the_proof_witness() {
    for name in OPS_MODELS {
        let model = compiled(name);
        for seed in 0..3 {
            let inputs = random_inputs(&model, seed);
            let w = tamperable(&model, &inputs).unwrap();
            let f = forward(&onnx(name), &CompileOptions::default(), &inputs).unwrap();
            assert_eq!(f.public_inputs, w.public, "{name} seed {seed}");
            assert_eq!(f.output_shapes, model.settings().output_shapes);
        }
    }
}

#[test]
fn honest_witnesses_of_new_ops_satisfy_every_constraint() {
    for name in OPS_MODELS {
        let model = compiled(name);
        let w = tamperable(&model, &random_inputs(&model, 11)).unwrap();
        mock_verify(&model, &w.advice, &w.public).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
}

/// Every op kind of the new models (ReLU-built max/clip, every table function, the
/// Newton products of reciprocal and 1/√x): bump the output cell of three ops of the
/// kind, one at a time; each must break a constraint.
#[test]
fn changing_one_cell_of_any_new_op_kind_fails() {
    let mut seen = std::collections::BTreeSet::new();
    for name in OPS_MODELS {
        let model = compiled(name);
        let w = tamperable(&model, &random_inputs(&model, 12)).unwrap();
        let mut kinds: Vec<&str> = w.ops.iter().map(|o| o.0).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            let cells: Vec<Cell> = w.ops.iter().filter(|o| o.0 == kind).map(|o| o.1).collect();
            for cell in [cells[0], cells[cells.len() / 2], cells[cells.len() - 1]] {
                let mut advice = w.advice.clone();
                advice[cell.col][cell.row] += 1;
                let failures = mock_verify(&model, &advice, &w.public)
                    .expect_err(&format!("{name}/{kind} accepted a changed cell"));
                assert!(!failures.is_empty());
            }
            seen.insert(kind);
        }
    }
    for kind in [
        "relu",
        "mul",
        "exp",
        "log",
        "reciprocal",
        "rsqrt",
        "erf",
        "sigmoid",
        "tanh",
    ] {
        assert!(seen.contains(kind), "no op of kind {kind} was tampered");
    }
}

#[test]
fn unprovable_ops_fail_at_compile_naming_node_and_op() {
    let err = compile(&onnx("unsupported"), &CompileOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnsupportedOp);
    let msg = err.to_string();
    assert!(msg.contains("TopK") && msg.contains("topk_head"), "{msg}");
}
