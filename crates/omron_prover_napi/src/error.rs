//! Core errors become JS `Error`s with a stable `code`; panics become `INTERNAL` errors.

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object};
use napi::{Env, Status};
use napi_derive::napi;
use omron_prover::{Error as CoreError, ErrorCode as CoreCode};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The stable `code` of every error the addon throws. Generated into `binding.d.cts` (and
/// exported at run time), so TypeScript takes the list from here, not from a copy.
#[napi(string_enum = "UPPER_SNAKE")]
pub enum ErrorCode {
    UnsupportedOp,
    BadModel,
    ShapeMismatch,
    InputOutOfRange,
    InvalidInput,
    BadKeyFormat,
    BadSrs,
    BadProofFormat,
    BadSettings,
    ModelMismatch,
    Cancelled,
    ProvingFailed,
    Internal,
}

/// Every code the addon throws, in the core's order (the list behind `PROVER_ERROR_CODES`).
#[napi]
pub fn error_codes() -> Vec<ErrorCode> {
    CoreCode::ALL.into_iter().map(ErrorCode::from).collect()
}

impl From<CoreCode> for ErrorCode {
    // Exhaustive: a code added to the core fails to compile here until it is exported.
    fn from(code: CoreCode) -> Self {
        match code {
            CoreCode::UnsupportedOp => ErrorCode::UnsupportedOp,
            CoreCode::BadModel => ErrorCode::BadModel,
            CoreCode::ShapeMismatch => ErrorCode::ShapeMismatch,
            CoreCode::InputOutOfRange => ErrorCode::InputOutOfRange,
            CoreCode::InvalidInput => ErrorCode::InvalidInput,
            CoreCode::BadKeyFormat => ErrorCode::BadKeyFormat,
            CoreCode::BadSrs => ErrorCode::BadSrs,
            CoreCode::BadProofFormat => ErrorCode::BadProofFormat,
            CoreCode::BadSettings => ErrorCode::BadSettings,
            CoreCode::ModelMismatch => ErrorCode::ModelMismatch,
            CoreCode::Cancelled => ErrorCode::Cancelled,
            CoreCode::ProvingFailed => ErrorCode::ProvingFailed,
            CoreCode::Internal => ErrorCode::Internal,
        }
    }
}

/// Runs `work`, turning a panic into an `INTERNAL` error so a bug never takes Node down.
pub fn guarded<T>(work: impl FnOnce() -> Result<T, CoreError>) -> Result<T, CoreError> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(CoreError::new(
            CoreCode::Internal,
            format!("native prover panicked: {what}"),
        ))
    })
}

/// A binding-level error with one of the core's codes (argument checks done here).
pub fn core_error(code: CoreCode, message: impl Into<String>) -> CoreError {
    CoreError::new(code, message)
}

/// Builds the JS error object (`message`, `code`) and hands it to napi to throw or reject with.
pub fn to_js(env: &Env, error: &CoreError) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let mut object: Object<'_> =
            env.create_error(napi::Error::new(Status::GenericFailure, error.message()))?;
        // The exported enum's value, so the thrown code and the generated type cannot differ.
        object.set_named_property("code", ErrorCode::from(error.code()))?;
        Ok(napi::Error::from(object.to_unknown()))
    };
    // If the JS error cannot be built, keep the code in the message so nothing is lost.
    build().unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, error.to_string()))
}

/// `Ok` unchanged, `Err` as a coded JS error.
pub fn into_js<T>(env: &Env, result: Result<T, CoreError>) -> napi::Result<T> {
    result.map_err(|e| to_js(env, &e))
}
