//! Shared test helpers: the committed test models, a cached development SRS, random
//! inputs and tract's float reference run.
#![allow(dead_code)]

use omron_prover::{compile, setup, CompileOptions, CompiledModel, ProvingKey, Srs, VerifyingKey};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tract_onnx::prelude::*;

pub const MODELS: [&str; 4] = ["mlp", "cnn", "sigmoid_tanh", "ops"];

pub fn onnx(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tooling/models/{name}.onnx",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// One development SRS for the whole test binary (largest k any test model needs).
pub fn srs() -> &'static Srs {
    static SRS: OnceLock<Srs> = OnceLock::new();
    SRS.get_or_init(|| Srs::development(15))
}

pub fn compiled(name: &str) -> CompiledModel {
    compile(&onnx(name), &CompileOptions::default()).expect("compile")
}

type Keys = Arc<(CompiledModel, ProvingKey, VerifyingKey)>;

/// Compiled model and keys, generated once per model per test binary.
pub fn keyed(name: &str) -> Keys {
    static CACHE: OnceLock<Mutex<HashMap<String, Keys>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(k) = cache.lock().unwrap().get(name) {
        return k.clone();
    }
    let model = compiled(name);
    let (pk, vk) = setup(&model, srs()).expect("setup");
    let keys = Arc::new((model, pk, vk));
    cache.lock().unwrap().insert(name.to_string(), keys.clone());
    keys
}

/// Deterministic random inputs in [-1, 1) for every model input.
pub fn random_inputs(model: &CompiledModel, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    model
        .settings()
        .input_shapes
        .iter()
        .map(|s| {
            (0..s.iter().product::<usize>())
                .map(|_| rng.gen_range(-1.0..1.0))
                .collect()
        })
        .collect()
}

/// A runnable float model from tract, for reference outputs.
pub fn reference(name: &str, model: &CompiledModel) -> Arc<TypedRunnableModel> {
    let shape = model.settings().input_shapes[0].clone();
    tract_onnx::onnx()
        .model_for_read(&mut &onnx(name)[..])
        .unwrap()
        .with_input_fact(0, f32::fact(&shape).into())
        .unwrap()
        .into_optimized()
        .unwrap()
        .into_runnable()
        .unwrap()
}

pub fn run_reference(
    runnable: &Arc<TypedRunnableModel>,
    model: &CompiledModel,
    input: &[f64],
) -> Vec<f64> {
    let shape = &model.settings().input_shapes[0];
    let data: Vec<f32> = input.iter().map(|&x| x as f32).collect();
    let t = Tensor::from_shape(shape, &data).unwrap();
    let out = runnable.run(tvec!(t.into())).unwrap();
    out[0]
        .to_plain_array_view::<f32>()
        .unwrap()
        .iter()
        .map(|&x| f64::from(x))
        .collect()
}
