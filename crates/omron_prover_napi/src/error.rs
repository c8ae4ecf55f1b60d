//! Core errors become JS `Error`s with a stable `code`; panics become `INTERNAL` errors.

use napi::bindgen_prelude::{JsObjectValue, JsValue, Object};
use napi::{Env, Status};
use omron_prover::{Error as CoreError, ErrorCode};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `work`, turning a panic into an `INTERNAL` error so a bug never takes Node down.
pub fn guarded<T>(work: impl FnOnce() -> Result<T, CoreError>) -> Result<T, CoreError> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(CoreError::new(
            ErrorCode::Internal,
            format!("native prover panicked: {what}"),
        ))
    })
}

/// A binding-level error with one of the core's codes (argument checks done here).
pub fn core_error(code: ErrorCode, message: impl Into<String>) -> CoreError {
    CoreError::new(code, message)
}

/// Builds the JS error object (`message`, `code`) and hands it to napi to throw or reject with.
pub fn to_js(env: &Env, error: &CoreError) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let mut object: Object<'_> =
            env.create_error(napi::Error::new(Status::GenericFailure, error.message()))?;
        object.set_named_property("code", error.code().as_str())?;
        Ok(napi::Error::from(object.to_unknown()))
    };
    // If the JS error cannot be built, keep the code in the message so nothing is lost.
    build().unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, error.to_string()))
}

/// `Ok` unchanged, `Err` as a coded JS error.
pub fn into_js<T>(env: &Env, result: Result<T, CoreError>) -> napi::Result<T> {
    result.map_err(|e| to_js(env, &e))
}
