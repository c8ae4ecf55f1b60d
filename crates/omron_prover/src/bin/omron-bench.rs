//! Benchmark: per test model, k, rows, columns, median compile/keygen/witness/prove/
//! verify times, proof size and peak RSS.
//!
//! Usage: omron-bench [--threads N] [--runs N] [--models mlp,cnn,...] [--models-dir DIR]
//!                    [--omron PATH] [--age PATH] [--profile]
//!
//! `omron_lstm` is the real Omron subnet model, read from `--omron` (default
//! $OMRON_SHARED_DIR/fixtures/omron-lstm/network.onnx, else ../shared next to the repository); `omron_lstm_old`
//! is the same model with the plain layout (no challenge check, one requantization slot
//! per band: the layout before both), for the old-vs-new ratio in one run. `omron_age` is
//! the subnet's age-detection CNN, read from `--age` (default
//! ../shared/fixtures/omron-age/network.onnx), fed images in [0, 1). Fixture rows are
//! skipped when the file is absent. The last lines print prove-time ratios. `--profile`
//! prints each model's rows by kind (see `CompiledModel::layout_profile`); `--runs 0`
//! only compiles and prints that profile.

use omron_prover::{compile, prove, setup, verify, CompileOptions, ProveControl, Srs};
use std::collections::HashMap;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed().as_secs_f64() * 1e3)
}

/// Peak resident set size of this process (Linux), in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: usize = arg(&args, "--threads").map_or(0, |t| t.parse().expect("--threads N"));
    let runs: usize = arg(&args, "--runs").map_or(3, |t| t.parse().expect("--runs N"));
    let dir = arg(&args, "--models-dir")
        .unwrap_or_else(|| format!("{}/../../tooling/models", env!("CARGO_MANIFEST_DIR")));
    let models = arg(&args, "--models").unwrap_or_else(|| {
        "mlp,cnn,sigmoid_tanh,ops,lstm,omron_lstm_old,omron_lstm,age_cnn,omron_age".into()
    });
    // Fixtures: $OMRON_SHARED_DIR, else ../shared next to the repository.
    let shared = std::env::var("OMRON_SHARED_DIR")
        .unwrap_or_else(|_| format!("{}/../../../shared", env!("CARGO_MANIFEST_DIR")));
    let omron = arg(&args, "--omron")
        .unwrap_or_else(|| format!("{shared}/fixtures/omron-lstm/network.onnx"));
    let age =
        arg(&args, "--age").unwrap_or_else(|| format!("{shared}/fixtures/omron-age/network.onnx"));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("rayon pool");
    println!(
        "threads: {}, runs: {runs} (median)",
        rayon::current_num_threads()
    );
    let mut srs = Srs::development(15);
    let mut prove_ms: HashMap<String, f64> = HashMap::new();
    println!(
        "{:<13} {:>3} {:>6} {:>5} {:>5} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8} {:>9}",
        "model",
        "k",
        "rows",
        "adv",
        "fix",
        "compile ms",
        "keygen ms",
        "witness ms",
        "prove ms",
        "verify ms",
        "proof B",
        "peak MiB"
    );
    for name in models.split(',') {
        let path = match name {
            "omron_lstm" | "omron_lstm_old" => omron.clone(),
            "omron_age" => age.clone(),
            _ => format!("{dir}/{name}.onnx"),
        };
        let options = if name.ends_with("_old") {
            CompileOptions {
                challenge_checks: Some(false),
                act_groups: Some(1),
                ..CompileOptions::default()
            }
        } else {
            CompileOptions::default()
        };
        // Images in [0, 1) for the vision models, [-0.5, 0.5) otherwise.
        let offset = if name.contains("age") { 0.0 } else { 0.5 };
        let Ok(onnx) = std::fs::read(&path) else {
            println!("{name:<13} skipped: {path} is absent");
            continue;
        };
        if runs == 0 {
            // Layout only: compile once and print where the rows go.
            let (model, c) = ms(|| compile(&onnx, &options).expect("compile"));
            let s = model.settings();
            let parts: Vec<String> = model
                .layout_profile()
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            println!(
                "{name:<13} {:>3} {:>6} {:>5} {:>5} {c:>10.1}  width {}, lookups {}: {}",
                s.k,
                s.rows,
                s.columns.advice,
                s.columns.fixed,
                s.columns.width,
                s.columns.lookups,
                parts.join(", ")
            );
            continue;
        }
        let mut t = [vec![], vec![], vec![], vec![], vec![]];
        let mut proof_len = 0;
        let mut last = None;
        for run in 0..runs {
            let (model, c) = ms(|| compile(&onnx, &options).expect("compile"));
            if model.settings().k > srs.k() {
                srs = Srs::development(model.settings().k);
            }
            let ((pk, vk), kg) = ms(|| setup(&model, &srs).expect("setup"));
            let inputs: Vec<Vec<f64>> = model
                .settings()
                .input_shapes
                .iter()
                .map(|s| {
                    (0..s.iter().product::<usize>())
                        .map(|i| ((i * 7 + run) % 13) as f64 / 13.0 - offset)
                        .collect()
                })
                .collect();
            let out = prove(&model, &pk, &srs, &inputs, ProveControl::default()).expect("prove");
            let (ok, v) = ms(|| {
                verify(&vk, model.settings(), &srs, &out.proof, &out.public_inputs).expect("verify")
            });
            assert!(ok, "proof must verify");
            for (i, x) in [c, kg, out.timings.witness_ms, out.timings.prove_ms, v]
                .into_iter()
                .enumerate()
            {
                t[i].push(x);
            }
            proof_len = out.proof.len();
            last = Some(model);
        }
        let model = last.expect("runs >= 1");
        if args.iter().any(|a| a == "--profile") {
            let parts: Vec<String> = model
                .layout_profile()
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            println!("  profile {name}: {}", parts.join(", "));
        }
        let s = model.settings().clone();
        let [c, kg, w, p, v] = t.map(median);
        prove_ms.insert(name.to_string(), p);
        println!(
            "{name:<13} {:>3} {:>6} {:>5} {:>5} {c:>10.1} {kg:>10.1} {w:>10.2} {p:>10.1} {v:>10.2} {proof_len:>8} {:>9.0}",
            s.k,
            s.rows,
            s.columns.advice,
            s.columns.fixed,
            peak_rss_mib()
        );
    }
    let ratio = |a: &str, b: &str| {
        if let (Some(x), Some(y)) = (prove_ms.get(a), prove_ms.get(b)) {
            println!("prove {a} / {b}: {:.2}×", x / y);
        }
    };
    ratio("omron_lstm_old", "omron_lstm");
    ratio("omron_age", "omron_lstm");
    ratio("age_cnn", "omron_lstm");
}
