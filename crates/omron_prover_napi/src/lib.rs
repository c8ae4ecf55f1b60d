//! napi-rs adapter over `omron_prover`: type conversion, error mapping and threading only.
//!
//! Every heavy call is an `AsyncTask` (libuv worker thread; the core then fans out over
//! rayon), with a `*Sync` twin where blocking is cheap or wanted. Core errors reach JS as
//! `Error`s whose `code` is the core's stable code; panics become `INTERNAL` errors.

mod calibrate;
mod error;
mod keys;
mod model;
mod progress;
mod prove;
mod public;
mod slices;
mod srs;
mod verify;

use napi_derive::napi;

/// Version of the native prover, as built.
#[napi]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
