//! The single tagged lookup table (tag, x, y) shared by range checks and non-linearities.

use crate::ir::Lut;
use serde::{Deserialize, Serialize};

/// Tag of the table section that holds x ∈ [0, 2^w) (with y = 0).
pub fn range_tag(w: u32) -> i64 {
    1 + i64::from(w)
}
/// Bits of a range-checked value (remainder r < 2^d, low part lo < 2^e) that are checked
/// by a small polynomial instead of the table: the value is split as top·2^(w−2) + low
/// with top ∈ {0, 1, 2, 3} (a degree-4 gate) and low looked up in [0, 2^(w−2)), so a
/// remainder range of 2^13 needs a 2^11 table section. Below 2 bits the value is looked
/// up whole and the top multiplier is 0.
pub const TOP_BITS: u32 = 2;

/// Width of the table section that checks the low part of a w-bit value.
pub fn low_bits(w: u32) -> u32 {
    if w >= TOP_BITS {
        w - TOP_BITS
    } else {
        w
    }
}

/// What the top part of a w-bit value is multiplied by: 2^(w−2), or 0 below 2 bits.
pub fn top_multiplier(w: u32) -> i64 {
    if w >= TOP_BITS {
        1i64 << (w - TOP_BITS)
    } else {
        0
    }
}

/// (top, low) of `v` ∈ [0, 2^w) as the circuit holds it.
pub fn split_top(v: i64, w: u32) -> (i64, i64) {
    let m = top_multiplier(w);
    if m == 0 {
        (0, v)
    } else {
        (v.div_euclid(m), v.rem_euclid(m))
    }
}

/// Tag of the sign section: y = [hi ≥ 0] for hi in the signed hi range.
pub const SIGN_TAG: i64 = 64;
/// Tag of a non-linear function section.
pub fn lut_tag(f: Lut) -> i64 {
    match f {
        Lut::Sigmoid => 65,
        Lut::Tanh => 66,
        Lut::Exp => 67,
        Lut::Log => 68,
        Lut::Reciprocal => 69,
        Lut::Rsqrt => 70,
        Lut::Erf => 71,
        Lut::Gelu => 72,
        Lut::GeluTanh => 73,
    }
}

/// What the table must contain; kept in `Settings` so a verifier sees the ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupSpec {
    /// Bits of the signed `hi` index: hi ∈ [-2^(bits-1), 2^(bits-1)).
    pub hi_bits: u32,
    /// Fixed-point scale of the `hi` index of non-linear functions.
    pub lookup_scale: u32,
    /// Scale of the table outputs of non-linear functions.
    pub output_scale: u32,
    /// Widths w of the [0, 2^w) range sections in use (the low parts of remainders, see
    /// [`TOP_BITS`]).
    pub range_widths: Vec<u32>,
    /// Non-linear functions in use.
    pub functions: Vec<Lut>,
}

impl LookupSpec {
    /// Smallest and largest `hi` value the table covers.
    pub fn hi_range(&self) -> (i64, i64) {
        let half = 1i64 << (self.hi_bits - 1);
        (-half, half - 1)
    }

    /// Table value of `f` at index `hi`: f sampled at the middle of the hi bucket.
    pub fn lut_value(&self, f: Lut, hi: i64) -> i64 {
        let x = (hi as f64 + 0.5) / (1u64 << self.lookup_scale) as f64;
        (f.eval(x) * (1u64 << self.output_scale) as f64).round() as i64
    }

    /// Number of table rows.
    pub fn len(&self) -> usize {
        let ranges: usize = self.range_widths.iter().map(|w| 1usize << w).sum();
        ranges + (1 + self.functions.len()) * (1usize << self.hi_bits)
    }

    /// Whether the table is empty (never: the sign section is always present).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// All rows (tag, x, y).
    pub fn rows(&self) -> Vec<[i64; 3]> {
        let mut out = Vec::with_capacity(self.len());
        for &w in &self.range_widths {
            out.extend((0..1i64 << w).map(|x| [range_tag(w), x, 0]));
        }
        let (lo, hi) = self.hi_range();
        out.extend((lo..=hi).map(|x| [SIGN_TAG, x, i64::from(x >= 0)]));
        for &f in &self.functions {
            out.extend((lo..=hi).map(|x| [lut_tag(f), x, self.lut_value(f, x)]));
        }
        out
    }
}
