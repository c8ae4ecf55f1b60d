//! Prover core: turns an ONNX model into a quantized halo2 circuit (KZG over BN254)
//! and runs keygen, prove and verify. No JavaScript or napi here; the binding crate
//! `omron_prover_napi` is a thin adapter over this crate.

pub mod quant;
