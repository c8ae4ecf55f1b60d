//! The circuit's op IR: a straight-line program over scalar values.
//!
//! Every op produces exactly one value whose id is the op's index. ONNX tensors are
//! lowered to arrays of value ids; wiring ops (reshape, slice, ...) only move ids.

use serde::{Deserialize, Serialize};

/// Index of a value (= index of the op that produced it).
pub type ValueId = usize;

/// A non-linear function evaluated through the shared lookup table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Lut {
    /// Logistic sigmoid.
    Sigmoid,
    /// Hyperbolic tangent.
    Tanh,
    /// e^x.
    Exp,
    /// ln x (ln of the smallest positive f64 for x ≤ 0).
    Log,
    /// 1/x.
    Reciprocal,
    /// 1/√x (for x ≤ 0: that of the smallest positive f64, capped at 2^20).
    Rsqrt,
    /// The Gauss error function.
    Erf,
    /// x·Φ(x) (exact GELU).
    Gelu,
    /// GELU's tanh approximation.
    GeluTanh,
}

impl Lut {
    /// The float function the table samples.
    pub fn eval(self, x: f64) -> f64 {
        match self {
            Lut::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Lut::Tanh => x.tanh(),
            Lut::Exp => x.exp(),
            Lut::Log => x.max(f64::MIN_POSITIVE).ln(),
            Lut::Reciprocal => 1.0 / x,
            Lut::Rsqrt => (1.0 / x.max(f64::MIN_POSITIVE).sqrt()).min(1048576.0),
            Lut::Erf => erf(x),
            Lut::Gelu => 0.5 * x * (1.0 + erf(x / std::f64::consts::SQRT_2)),
            Lut::GeluTanh => {
                let c = (2.0 / std::f64::consts::PI).sqrt();
                0.5 * x * (1.0 + (c * (x + 0.044715 * x * x * x)).tanh())
            }
        }
    }

    /// Lower-case name (for messages and tests).
    pub fn name(self) -> &'static str {
        match self {
            Lut::Sigmoid => "sigmoid",
            Lut::Tanh => "tanh",
            Lut::Exp => "exp",
            Lut::Log => "log",
            Lut::Reciprocal => "reciprocal",
            Lut::Rsqrt => "rsqrt",
            Lut::Erf => "erf",
            Lut::Gelu => "gelu",
            Lut::GeluTanh => "gelu_tanh",
        }
    }
}

/// The error function: its Maclaurin series for |x| ≤ 3 (terms stay below e^9, so
/// cancellation keeps ~12 digits), erfc's continued fraction for 3 < |x| < 6, and ±1
/// beyond (1 − erf(6) ≈ 2e-17). Computed here so table samples need no libm erf.
fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() >= 6.0 {
        return x.signum();
    }
    if x.abs() > 3.0 {
        // Continued fraction of erfc for large |x| (converges fast there).
        let a = x.abs();
        let mut f = 0.0;
        for k in (1..=60).rev() {
            f = f64::from(k) / 2.0 / (a + f);
        }
        let erfc = (-a * a).exp() / (a + f) / std::f64::consts::PI.sqrt();
        return x.signum() * (1.0 - erfc);
    }
    let (mut term, mut sum) = (x, x);
    let x2 = x * x;
    for n in 1..200 {
        term *= -x2 / f64::from(n);
        let add = term / f64::from(2 * n + 1);
        sum += add;
        if add.abs() < 1e-17 * sum.abs() {
            break;
        }
    }
    sum * 2.0 / std::f64::consts::PI.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_known_values() {
        for (x, e) in [
            (0.0, 0.0),
            (0.1, 0.112_462_916_018_284_9),
            (0.5, 0.520_499_877_813_046_5),
            (1.0, 0.842_700_792_949_714_9),
            (2.0, 0.995_322_265_018_952_7),
            (3.5, 0.999_999_256_901_627_7),
            (5.0, 0.999_999_999_998_462_5),
        ] {
            assert!((erf(x) - e).abs() < 1e-10, "erf({x}) = {} ≠ {e}", erf(x));
            assert!((erf(-x) + e).abs() < 1e-10);
        }
    }
}

/// What a requantization block outputs after rescaling its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActKind {
    /// The rescaled value itself (range checked).
    Identity,
    /// max(rescaled, 0).
    Relu,
    /// A table function of the rescaled value at the lookup scale.
    Lut(Lut),
}

/// One scalar operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Public input element `index` (row of the instance column).
    Input { index: usize },
    /// Σ x·w + bias (+ a·b when `mul` is set), all integers.
    Dot {
        terms: Vec<(ValueId, i64)>,
        bias: i64,
        mul: Option<(ValueId, ValueId)>,
    },
    /// Rescale `x` by 2^d with rounding (q), split q = hi·2^e + lo, output per `kind`.
    Act {
        x: ValueId,
        d: u32,
        e: u32,
        kind: ActKind,
    },
    /// Element (out, pos) of `Program::linears[linear]`: Σ_k W[out][k]·X[k][pos] + b[out],
    /// supplied by the prover and checked for the whole layer at once with verifier
    /// challenges (Freivalds) instead of one term per multiply-add.
    Product {
        linear: usize,
        out: usize,
        pos: usize,
    },
}

/// A linear layer Y = W·X + b whose weights are reused across positions (conv kernels
/// over an image, recurrent weights over time steps). X[k][pos] is a value or `None`
/// for a zero (padding). Checked as rᵀ(Y − W·X − b)s = 0 for challenges r, s.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// W[out][k], integers at the param scale.
    pub weights: Vec<Vec<i64>>,
    /// b[out], integers at the product scale.
    pub bias: Vec<i64>,
    /// X[k][pos].
    pub inputs: Vec<Vec<Option<ValueId>>>,
}

impl Linear {
    /// Output channels.
    pub fn outs(&self) -> usize {
        self.weights.len()
    }
    /// Positions (columns of X and Y).
    pub fn positions(&self) -> usize {
        self.inputs.first().map_or(0, Vec::len)
    }
}

/// A lowered model: ops in evaluation order and which values are the outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// Ops in topological order.
    pub ops: Vec<Op>,
    /// Fixed-point scale of each value.
    pub scales: Vec<u32>,
    /// Number of public input elements.
    pub input_len: usize,
    /// Output values, flattened in ONNX output order.
    pub outputs: Vec<ValueId>,
    /// Layers checked with challenges; referenced by [`Op::Product`].
    pub linears: Vec<Linear>,
}
