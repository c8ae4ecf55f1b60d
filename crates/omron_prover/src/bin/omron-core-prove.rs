//! Proofs made by the Rust core directly, timed for the binding-overhead bench of
//! `@omron/prover` (`packages/prover/bench/overhead.mjs`). The bench runs this as a child
//! process and alternates its proofs with proofs through Node, so both share the machine's
//! noise, while the addon ships no bench helper. Public API only.
//!
//! Usage: omron-core-prove ONNX
//!
//! Compiles ONNX with the default options, makes keys from the development SRS (INSECURE,
//! benchmarks only) and prints `ready <model hash> <k>`. Then, for every line on stdin (a
//! JSON array of model inputs, one array of numbers per input), proves once and prints the
//! wall time of `prove` in milliseconds. Ends at the end of stdin.

use omron_prover::{compile, prove, setup, CompileOptions, ProveControl, Srs};
use std::io::{BufRead, Write};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: omron-core-prove ONNX");
    let onnx = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let model = compile(&onnx, &CompileOptions::default()).expect("compile the model");
    let settings = model.settings();
    let srs = Srs::development(settings.k);
    let (pk, _) = setup(&model, &srs).expect("make the keys");
    let mut out = std::io::stdout().lock();
    let mut say = |line: String| {
        writeln!(out, "{line}")
            .and_then(|()| out.flush())
            .expect("write to stdout");
    };
    say(format!("ready {} {}", settings.model_hash, settings.k));
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let inputs: Vec<Vec<f64>> =
            serde_json::from_str(&line).expect("a JSON array of input arrays");
        let started = Instant::now();
        prove(&model, &pk, &srs, &inputs, ProveControl::default()).expect("prove");
        say(format!("{}", started.elapsed().as_secs_f64() * 1e3));
    }
}
