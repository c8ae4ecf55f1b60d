//! Serialization round trips and typed errors for bad artifacts and inputs.

mod common;

use common::{compiled, keyed, onnx, random_inputs, srs};
use omron_prover::{
    compile, prove, quantize_inputs, verify, CompileOptions, ErrorCode, ProveControl, ProvingKey,
    PublicInputs, Settings, Srs, VerifyingKey,
};
use std::sync::atomic::AtomicBool;

#[test]
fn settings_round_trip_and_reject_garbage() {
    let model = compiled("cnn");
    let json = model.settings().to_json();
    let back = Settings::from_json(&json).unwrap();
    assert_eq!(&back, model.settings());
    assert_eq!(back.to_json(), json);
    assert_eq!(
        Settings::from_json("{").unwrap_err().code(),
        ErrorCode::BadSettings
    );
    let newer = json.replace("\"format_version\": 1", "\"format_version\": 99");
    assert_eq!(
        Settings::from_json(&newer).unwrap_err().code(),
        ErrorCode::BadSettings
    );
}

#[test]
fn keys_round_trip_to_identical_bytes_and_detect_corruption() {
    let keys = keyed("sigmoid_tanh");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let (pk_bytes, vk_bytes) = (pk.to_bytes(), vk.to_bytes());
    let pk2 = ProvingKey::from_bytes(&pk_bytes, model).unwrap();
    let vk2 = VerifyingKey::from_bytes(&vk_bytes, model.settings()).unwrap();
    assert_eq!(pk2.to_bytes(), pk_bytes);
    assert_eq!(vk2.to_bytes(), vk_bytes);

    let out = prove(
        model,
        &pk2,
        srs(),
        &random_inputs(model, 9),
        ProveControl::default(),
    )
    .unwrap();
    assert!(verify(
        &vk2,
        model.settings(),
        srs(),
        &out.proof,
        &out.public_inputs
    )
    .unwrap());

    for bytes in [&pk_bytes, &vk_bytes] {
        let truncated = &bytes[..bytes.len() - 7];
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x10;
        for bad in [truncated, &flipped[..], &bytes[..10], &[][..]] {
            let code = if bytes == &pk_bytes {
                ProvingKey::from_bytes(bad, model).unwrap_err().code()
            } else {
                VerifyingKey::from_bytes(bad, model.settings())
                    .unwrap_err()
                    .code()
            };
            assert_eq!(code, ErrorCode::BadKeyFormat);
        }
    }
    let cnn = compiled("cnn");
    assert_eq!(
        ProvingKey::from_bytes(&pk_bytes, &cnn).unwrap_err().code(),
        ErrorCode::ModelMismatch
    );
    assert_eq!(
        VerifyingKey::from_bytes(&vk_bytes, cnn.settings())
            .unwrap_err()
            .code(),
        ErrorCode::ModelMismatch
    );
    assert_eq!(
        VerifyingKey::from_bytes(&pk_bytes, model.settings())
            .unwrap_err()
            .code(),
        ErrorCode::BadKeyFormat
    );
}

#[test]
fn proofs_and_public_inputs_round_trip_and_bad_proofs_are_typed() {
    let keys = keyed("sigmoid_tanh");
    let (model, pk, vk) = (&keys.0, &keys.1, &keys.2);
    let out = prove(
        model,
        pk,
        srs(),
        &random_inputs(model, 10),
        ProveControl::default(),
    )
    .unwrap();
    let json = serde_json::to_string(&out.public_inputs).unwrap();
    let public: PublicInputs = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&public).unwrap(), json);
    let copy = out.proof.clone();
    assert!(verify(vk, model.settings(), srs(), &copy, &public).unwrap());
    for bad in [&copy[..copy.len() - 1], &copy[..20], &[][..]] {
        assert_eq!(
            verify(vk, model.settings(), srs(), bad, &public)
                .unwrap_err()
                .code(),
            ErrorCode::BadProofFormat
        );
    }
    let mut short = public.clone();
    short.outputs[0].pop();
    assert_eq!(
        verify(vk, model.settings(), srs(), &copy, &short)
            .unwrap_err()
            .code(),
        ErrorCode::ShapeMismatch
    );
}

#[test]
fn srs_round_trips_and_rejects_bad_files() {
    let small = Srs::development(5);
    assert!(small.is_insecure());
    let bytes = small.to_bytes();
    let back = Srs::read(&bytes).unwrap();
    assert_eq!(back.k(), 5);
    assert!(
        back.is_insecure(),
        "the development SRS is recognised after a round trip"
    );
    assert_eq!(back.to_bytes(), bytes);
    let down = srs().downsize(5).unwrap();
    assert_eq!(
        down.to_bytes(),
        bytes,
        "downsizing the k=15 dev SRS equals the k=5 dev SRS"
    );
    assert_eq!(
        Srs::read(&bytes[..bytes.len() - 1]).unwrap_err().code(),
        ErrorCode::BadSrs
    );
    assert_eq!(Srs::read(&[1, 2]).unwrap_err().code(), ErrorCode::BadSrs);
    let mut bad = bytes.clone();
    bad[4 + 64 * 3 + 5] ^= 0xff;
    assert_eq!(Srs::read(&bad).unwrap_err().code(), ErrorCode::BadSrs);
    // Points that are all valid but belong to two secrets: the k=5 dev SRS with the s·G2
    // of another setup (the last 128 bytes of the raw layout) must not load.
    let other = {
        use halo2_axiom::halo2curves::bn256::Bn256;
        use halo2_axiom::poly::kzg::commitment::ParamsKZG;
        use rand_chacha::rand_core::SeedableRng;
        let params = ParamsKZG::<Bn256>::setup(5, rand_chacha::ChaCha20Rng::seed_from_u64(7));
        let mut out = Vec::new();
        params
            .write_custom(&mut out, halo2_axiom::SerdeFormat::RawBytes)
            .unwrap();
        out
    };
    let real = Srs::read(&other).expect("a consistent SRS of another secret loads");
    assert!(!real.is_insecure());
    let mut mixed = bytes.clone();
    let tail = mixed.len() - 128;
    mixed[tail..].copy_from_slice(&other[tail..]);
    assert_eq!(Srs::read(&mixed).unwrap_err().code(), ErrorCode::BadSrs);
    assert_eq!(small.downsize(9).unwrap_err().code(), ErrorCode::BadSrs);
    let model = compiled("mlp");
    assert_eq!(
        omron_prover::setup(&model, &small).unwrap_err().code(),
        ErrorCode::BadSrs
    );
}

#[test]
fn compile_errors_are_typed() {
    let err = compile(&onnx("unsupported"), &CompileOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnsupportedOp);
    assert!(
        err.to_string().contains("TopK") && err.to_string().contains("topk_head"),
        "{err}"
    );
    assert_eq!(
        compile(b"not onnx", &CompileOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::BadModel
    );
    let bad = CompileOptions {
        input_scale: 40,
        ..Default::default()
    };
    assert_eq!(
        compile(&onnx("mlp"), &bad).unwrap_err().code(),
        ErrorCode::BadSettings
    );
    assert_eq!(
        compiled("mlp").settings(),
        compiled("mlp").settings(),
        "compile is deterministic"
    );
}

#[test]
fn bad_inputs_are_typed_and_cancellation_works() {
    let keys = keyed("cnn");
    let (model, pk) = (&keys.0, &keys.1);
    let s = model.settings();
    let mut inputs = random_inputs(model, 11);
    assert_eq!(
        quantize_inputs(s, &[]).unwrap_err().code(),
        ErrorCode::ShapeMismatch
    );
    assert_eq!(
        quantize_inputs(s, &[vec![0.0; 3]]).unwrap_err().code(),
        ErrorCode::ShapeMismatch
    );
    inputs[0][5] = f64::NAN;
    assert_eq!(
        quantize_inputs(s, &inputs).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    inputs[0][5] = 1e6;
    let err = prove(model, pk, srs(), &inputs, ProveControl::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InputOutOfRange);
    inputs[0][5] = 0.5;
    let cancel = AtomicBool::new(true);
    let control = ProveControl {
        on_progress: None,
        cancel: Some(&cancel),
    };
    assert_eq!(
        prove(model, pk, srs(), &inputs, control)
            .unwrap_err()
            .code(),
        ErrorCode::Cancelled
    );
}

#[test]
fn lut_input_outside_the_table_is_input_out_of_range() {
    let model = compiled("sigmoid_tanh");
    // Large (but allowed) inputs push the sigmoid pre-activation beyond ±8.
    let inputs = vec![vec![40.0; 16]];
    let err = omron_prover::testing::tamperable(&model, &inputs)
        .err()
        .expect("out of range");
    assert_eq!(err.code(), ErrorCode::InputOutOfRange);
}
