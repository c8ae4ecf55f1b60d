//! End to end through the public API with real halo2 proofs.

mod common;

use common::{keyed, random_inputs, srs};
use omron_prover::{prove, quantize_inputs, verify, ProveControl, Stage};
use std::sync::Mutex;

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
