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
}

impl Lut {
    /// The float function the table samples.
    pub fn eval(self, x: f64) -> f64 {
        match self {
            Lut::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Lut::Tanh => x.tanh(),
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
