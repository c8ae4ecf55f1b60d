//! The single tagged lookup table (tag, x, y) shared by range checks and non-linearities.

use crate::ir::Lut;
use serde::{Deserialize, Serialize};

/// Tag of the table section that holds x ∈ [0, 2^w) (with y = 0).
pub fn range_tag(w: u32) -> i64 {
    1 + i64::from(w)
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
    /// Widths w of the [0, 2^w) range sections in use.
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
