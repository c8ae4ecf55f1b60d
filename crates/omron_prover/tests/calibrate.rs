//! Calibration: chosen options keep the fidelity bound, shrink or keep k, are recorded
//! in the settings, and inputs beyond the calibrated ranges fail with a typed error.

mod common;

use common::{compiled, onnx};
use omron_prover::testing::tamperable;
use omron_prover::{calibrate, compile, CalibrationOptions, ErrorCode, Settings};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn samples(
    model: &omron_prover::CompiledModel,
    n: usize,
    lo: f64,
    hi: f64,
    seed: u64,
) -> Vec<Vec<Vec<f64>>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            model
                .settings()
                .input_shapes
                .iter()
                .map(|s| {
                    (0..s.iter().product::<usize>())
                        .map(|_| rng.gen_range(lo..hi))
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn calibrated_lstm_keeps_the_bound_and_rejects_inputs_beyond_its_ranges() {
    let default = compiled("lstm");
    let train = samples(&default, 32, 0.0, 0.85, 1);
    let t = std::time::Instant::now();
    let options =
        calibrate(&onnx("lstm"), &train, &CalibrationOptions::default()).expect("calibrate");
    let cal = options.calibration.clone().expect("calibration recorded");
    let model = compile(&onnx("lstm"), &options).expect("compile");
    let s = model.settings();
    println!(
        "lstm calibrated in {:?}: scales {}/{}, lookup scale {} bits {}, k {} (default {}), table {} rows, {cal:?}",
        t.elapsed(),
        options.input_scale,
        options.param_scale,
        options.lookup_scale,
        options.lookup_bits,
        s.k,
        default.settings().k,
        s.table_rows
    );
    assert!(cal.max_error <= 1e-2 && cal.lut_abs_max > 0.0 && cal.samples == 32);
    assert!(s.k <= default.settings().k);
    assert_eq!(s.calibration.as_ref(), Some(&cal));
    let back = Settings::from_json(&s.to_json()).unwrap();
    assert_eq!((back.k, &back.lookup), (s.k, &s.lookup));
    let back_cal = back.calibration.expect("calibration survives JSON");
    assert!((back_cal.max_error - cal.max_error).abs() < 1e-12);

    // Unseen inputs from the same distribution stay within the bound.
    let runnable = common::reference("lstm", &model);
    for sample in samples(&default, 20, 0.0, 0.85, 2) {
        let w = tamperable(&model, &sample).expect("in-range input");
        let got = omron_prover::quant::dequantize(w.public.outputs[0][0], s.scales.output);
        let expected = common::run_reference(&runnable, &model, &sample[0])[0];
        assert!((got - expected).abs() < 1e-2);
    }
    // Far outside the calibrated range: a typed error before any proof exists.
    let x = s.max_abs_input * 0.9;
    let err = tamperable(&model, &[vec![x; 5]])
        .err()
        .expect("out of range");
    assert_eq!(err.code(), ErrorCode::InputOutOfRange);
}

#[test]
fn calibration_shrinks_a_table_bound_model_and_defaults_stay_unchanged() {
    let default = compiled("sigmoid_tanh");
    let train = samples(&default, 32, -1.0, 1.0, 3);
    let options = calibrate(
        &onnx("sigmoid_tanh"),
        &train,
        &CalibrationOptions::default(),
    )
    .unwrap();
    let model = compile(&onnx("sigmoid_tanh"), &options).unwrap();
    println!(
        "sigmoid_tanh: k {} -> {}, table {} -> {} rows ({:?})",
        default.settings().k,
        model.settings().k,
        default.settings().table_rows,
        model.settings().table_rows,
        options.calibration
    );
    // The default table (three 2^12 sections) already fits 2^14 since remainders are
    // split, so the shrink shows in the table (and k never grows).
    assert!(model.settings().table_rows < default.settings().table_rows);
    assert!(model.settings().k <= default.settings().k);
    assert!(!default.settings().to_json().contains("calibration"));
    let err = calibrate(&onnx("sigmoid_tanh"), &[], &CalibrationOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadSettings);
}
