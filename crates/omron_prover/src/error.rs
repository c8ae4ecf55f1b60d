//! Typed errors with stable, machine-readable codes.

use std::fmt;

/// Stable error categories; [`ErrorCode::as_str`] is what bindings and apps match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The ONNX graph uses an operator the compiler does not support.
    UnsupportedOp,
    /// The ONNX bytes are not a valid model (or one we can interpret).
    BadModel,
    /// A tensor or input has the wrong shape or element count.
    ShapeMismatch,
    /// A value left the range the circuit's lookup tables cover.
    InputOutOfRange,
    /// An input is NaN or infinite.
    InvalidInput,
    /// A proving or verifying key file is malformed, truncated or corrupted.
    BadKeyFormat,
    /// A structured reference string file is malformed or too small.
    BadSrs,
    /// Proof bytes are malformed (bad header, truncated).
    BadProofFormat,
    /// Settings JSON is malformed or of an unknown format version.
    BadSettings,
    /// A key, settings or proof belongs to another model.
    ModelMismatch,
    /// The caller cancelled the operation.
    Cancelled,
    /// The halo2 prover failed.
    ProvingFailed,
    /// A bug: an invariant of this crate was broken.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order (bindings export this list).
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::UnsupportedOp,
        ErrorCode::BadModel,
        ErrorCode::ShapeMismatch,
        ErrorCode::InputOutOfRange,
        ErrorCode::InvalidInput,
        ErrorCode::BadKeyFormat,
        ErrorCode::BadSrs,
        ErrorCode::BadProofFormat,
        ErrorCode::BadSettings,
        ErrorCode::ModelMismatch,
        ErrorCode::Cancelled,
        ErrorCode::ProvingFailed,
        ErrorCode::Internal,
    ];

    /// The stable SCREAMING_SNAKE_CASE code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnsupportedOp => "UNSUPPORTED_OP",
            ErrorCode::BadModel => "BAD_MODEL",
            ErrorCode::ShapeMismatch => "SHAPE_MISMATCH",
            ErrorCode::InputOutOfRange => "INPUT_OUT_OF_RANGE",
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::BadKeyFormat => "BAD_KEY_FORMAT",
            ErrorCode::BadSrs => "BAD_SRS",
            ErrorCode::BadProofFormat => "BAD_PROOF_FORMAT",
            ErrorCode::BadSettings => "BAD_SETTINGS",
            ErrorCode::ModelMismatch => "MODEL_MISMATCH",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::ProvingFailed => "PROVING_FAILED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from any stage of the pipeline: a stable [`ErrorCode`] plus a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// Creates an error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// The stable category of this error.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message (without the code).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// An unsupported ONNX operator, naming the op type and the node.
    pub fn unsupported_op(op: &str, node: &str) -> Self {
        Error::new(
            ErrorCode::UnsupportedOp,
            format!("unsupported ONNX operator `{op}` at node `{node}`"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

pub(crate) fn bad_model(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::BadModel, message)
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn all_lists_every_code_once() {
        // A variant added to the enum makes this match fail to compile, pointing here and at `ALL`.
        let position = |c: ErrorCode| match c {
            ErrorCode::UnsupportedOp => 0,
            ErrorCode::BadModel => 1,
            ErrorCode::ShapeMismatch => 2,
            ErrorCode::InputOutOfRange => 3,
            ErrorCode::InvalidInput => 4,
            ErrorCode::BadKeyFormat => 5,
            ErrorCode::BadSrs => 6,
            ErrorCode::BadProofFormat => 7,
            ErrorCode::BadSettings => 8,
            ErrorCode::ModelMismatch => 9,
            ErrorCode::Cancelled => 10,
            ErrorCode::ProvingFailed => 11,
            ErrorCode::Internal => 12,
        };
        for (i, c) in ErrorCode::ALL.into_iter().enumerate() {
            assert_eq!(position(c), i, "{c} out of place in ErrorCode::ALL");
        }
    }
}
