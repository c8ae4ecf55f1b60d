//! napi-rs adapter over `omron_prover`: type conversion, error mapping and threading only.

use napi_derive::napi;

/// Version of the native prover, as built.
#[napi]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
