//! Prover core: turns an ONNX model into a quantized halo2 circuit (KZG over BN254,
//! SHPLONK) and runs keygen, prove and verify. No JavaScript or napi here; the binding
//! crate `omron_prover_napi` is a thin adapter over this crate.
//!
//! ```no_run
//! use omron_prover::*;
//! let onnx = std::fs::read("mlp.onnx").unwrap();
//! let model = compile(&onnx, &CompileOptions::default()).unwrap();
//! let srs = Srs::development(model.settings().k); // INSECURE: tests only
//! let (pk, vk) = setup(&model, &srs).unwrap();
//! let out = prove(&model, &pk, &srs, &[vec![0.1; 784]], ProveControl::default()).unwrap();
//! assert!(verify(&vk, model.settings(), &srs, &out.proof, &out.public_inputs).unwrap());
//! ```

#![forbid(unsafe_code)]

mod calibrate;
mod circuit;
mod compile;
mod envelope;
mod error;
mod forward;
pub mod ir;
mod keys;
mod layout;
mod onnx;
mod prove;
pub mod quant;
mod requant;
mod settings;
mod srs;
mod table;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;
mod verify;

pub use calibrate::{calibrate, CalibrationOptions};
pub use compile::{compile, CompileOptions, CompiledModel};
pub use envelope::FORMAT_VERSION;
pub use error::{Error, ErrorCode};
pub use forward::{forward, ForwardOutput};
pub use keys::{setup, ProvingKey, VerifyingKey};
pub use prove::{prove, quantize_inputs, ProveControl, ProveOutput, PublicInputs, Stage, Timings};
pub use settings::{
    Calibration, Columns, Scales, Settings, CIRCUIT_LAYOUT_REVISION, SETTINGS_FORMAT_VERSION,
};
pub use srs::Srs;
pub use table::LookupSpec;
pub use verify::verify;
