//! Requantization, the integer core of an `Act` op: one implementation shared by the
//! circuit layout (witness), the forward pass and calibration, so the three agree on
//! rounding and on what leaves the lookup table.

use crate::error::{Error, ErrorCode};
use crate::ir::ActKind;
use crate::table::LookupSpec;

/// `x` rescaled by 2^-d, rounding half up: x + half = q·2^d + r with 0 ≤ r < 2^d, and
/// the table index hi = ⌊q / 2^e⌋.
pub(crate) struct Requant {
    /// 2^(d−1), or 0 when d = 0.
    pub half: i64,
    /// The requantized value.
    pub q: i64,
    /// The remainder dropped by the rounding.
    pub r: i64,
    /// The table index (clamped into the table under [`OutOfRange::Clamp`]).
    pub hi: i64,
}

/// What [`requantize`] does with a table index outside the table's signed range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutOfRange {
    /// `INPUT_OUT_OF_RANGE` (witness and forward pass).
    Fail,
    /// Clamp hi into the range (keygen, where advice values are unused).
    Clamp,
    /// Keep hi as it is (calibration, which measures the ranges).
    Allow,
}

/// An `i64` intermediate (accumulator or requantization) overflowed.
pub(crate) fn overflow() -> Error {
    Error::new(
        ErrorCode::InputOutOfRange,
        "an intermediate value overflowed 64 bits",
    )
}

/// Requantizes `x` by `d` bits and splits off the table index (see [`Requant`]).
pub(crate) fn requantize(
    x: i64,
    d: u32,
    e: u32,
    spec: &LookupSpec,
    range: OutOfRange,
) -> Result<Requant, Error> {
    let half = if d > 0 { 1i64 << (d - 1) } else { 0 };
    let t = x.checked_add(half).ok_or_else(overflow)?;
    let q = t.div_euclid(1i64 << d);
    let r = t.rem_euclid(1i64 << d);
    let (hmin, hmax) = spec.hi_range();
    let mut hi = q.div_euclid(1i64 << e);
    if hi < hmin || hi > hmax {
        match range {
            OutOfRange::Fail => {
                return Err(Error::new(
                    ErrorCode::InputOutOfRange,
                    format!(
                        "value {x} (scale 2^-{}) is outside the lookup range of the circuit",
                        d + e
                    ),
                ))
            }
            OutOfRange::Clamp => hi = hi.clamp(hmin, hmax),
            OutOfRange::Allow => {}
        }
    }
    Ok(Requant { half, q, r, hi })
}

/// The value an `Act` op outputs for a requantized `q` with table index `hi`: q itself,
/// q when hi ≥ 0 else 0 (ReLU), or the table function's sample at hi.
pub(crate) fn activate(kind: ActKind, q: i64, hi: i64, spec: &LookupSpec) -> i64 {
    match kind {
        ActKind::Identity => q,
        ActKind::Relu => q * i64::from(hi >= 0),
        ActKind::Lut(f) => spec.lut_value(f, hi),
    }
}
