//! Emits IR ops while tracking the fixed-point scale of every value.

use crate::ir::{ActKind, Linear, Lut, Op, ValueId};
use std::collections::{BTreeSet, HashMap};

/// Program under construction.
pub struct ProgBuilder {
    pub ops: Vec<Op>,
    pub scales: Vec<u32>,
    /// Working scale of activations (the input scale).
    pub st: u32,
    /// Scale of weights and constants.
    pub sp: u32,
    /// Split point of identity/ReLU blocks: q = hi·2^e_id + lo.
    pub e_id: u32,
    /// Split point of table functions: hi is q at the lookup scale.
    pub e_lut: u32,
    pub widths: BTreeSet<u32>,
    pub luts: BTreeSet<Lut>,
    /// Layers checked with challenges (see [`Linear`]).
    pub linears: Vec<Linear>,
    /// Whether layers with reused weights may use the challenge check.
    pub challenge_checks: bool,
    /// Constant values already emitted (quantized at st), shared by every use.
    constants: HashMap<i64, ValueId>,
}

/// Quantizes a constant at `scale` bits.
pub fn q(x: f64, scale: u32) -> i64 {
    (x * (1u64 << scale) as f64).round() as i64
}

impl ProgBuilder {
    pub fn new(st: u32, sp: u32, lookup_scale: u32) -> Self {
        ProgBuilder {
            ops: Vec::new(),
            scales: Vec::new(),
            st,
            sp,
            e_id: sp,
            e_lut: st - lookup_scale,
            widths: BTreeSet::new(),
            luts: BTreeSet::new(),
            linears: Vec::new(),
            challenge_checks: true,
            constants: HashMap::new(),
        }
    }

    fn push(&mut self, op: Op, scale: u32) -> ValueId {
        self.ops.push(op);
        self.scales.push(scale);
        self.ops.len() - 1
    }

    pub fn scale(&self, id: ValueId) -> u32 {
        self.scales[id]
    }

    pub fn input(&mut self, index: usize) -> ValueId {
        self.push(Op::Input { index }, self.st)
    }

    /// Σ value·weight + bias, at `scale`.
    pub fn dot(&mut self, terms: Vec<(ValueId, i64)>, bias: i64, scale: u32) -> ValueId {
        self.push(
            Op::Dot {
                terms,
                bias,
                mul: None,
            },
            scale,
        )
    }

    /// Product of two values (both brought to the working scale first).
    pub fn mul(&mut self, a: ValueId, b: ValueId) -> ValueId {
        let (a, b) = (self.rescaled(a), self.rescaled(b));
        self.push(
            Op::Dot {
                terms: vec![],
                bias: 0,
                mul: Some((a, b)),
            },
            2 * self.st,
        )
    }

    /// A requantization block; the output is at the working scale.
    pub fn act(&mut self, x: ValueId, kind: ActKind) -> ValueId {
        let d = self.scale(x) - self.st;
        let e = match kind {
            ActKind::Lut(f) => {
                self.luts.insert(f);
                self.e_lut
            }
            _ => self.e_id,
        };
        self.widths.insert(crate::table::low_bits(d));
        self.widths.insert(crate::table::low_bits(e));
        self.push(Op::Act { x, d, e, kind }, self.st)
    }

    /// `x` at the working scale (inserting a range-checked rescale when needed).
    pub fn rescaled(&mut self, x: ValueId) -> ValueId {
        if self.scale(x) > self.st {
            self.act(x, ActKind::Identity)
        } else {
            x
        }
    }

    /// A constant as a value at the working scale.
    pub fn constant(&mut self, c: f64) -> ValueId {
        let st = self.st;
        let cq = q(c, st);
        if let Some(&id) = self.constants.get(&cq) {
            return id;
        }
        let id = self.dot(vec![], cq, st);
        self.constants.insert(cq, id);
        id
    }
}

impl ProgBuilder {
    /// a·b + Σ value·weight + bias at `scale` (a and b are brought to the working
    /// scale; `scale` must be 2·st for the product to be in scale).
    pub fn mul_add(
        &mut self,
        a: ValueId,
        b: ValueId,
        terms: Vec<(ValueId, i64)>,
        bias: i64,
    ) -> ValueId {
        let (a, b) = (self.rescaled(a), self.rescaled(b));
        let scale = 2 * self.st;
        self.push(
            Op::Dot {
                terms,
                bias,
                mul: Some((a, b)),
            },
            scale,
        )
    }
}

/// Row width assumed when choosing between a challenge check and plain dot rows (the
/// layout picks the real width later; the choice is not sensitive to it).
const NOMINAL_WIDTH: usize = 8;

/// Whether checking Y = W·X (outs × k weights over `positions`) with challenges needs
/// fewer rows than one dot-row term per multiply-add.
pub fn challenge_check_pays(outs: usize, k: usize, positions: usize) -> bool {
    let w = NOMINAL_WIDTH;
    let direct = outs * positions * k.div_ceil(w).max(1);
    let checked = positions * outs.div_ceil(w)
        + (k + 1) * positions.div_ceil(w)
        + (k + 1) * outs.div_ceil(w)
        + positions;
    checked < direct
}

impl ProgBuilder {
    /// Whether a layer of `outs` × `k` weights over `positions` should use the challenge
    /// check (allowed and cheaper).
    pub fn checks(&self, outs: usize, k: usize, positions: usize) -> bool {
        self.challenge_checks && challenge_check_pays(outs, k, positions)
    }

    /// Starts a layer Y = W·X + b (`weights` at the param scale, `bias` at st+sp) over
    /// `positions`; its inputs are given position by position with
    /// [`ProgBuilder::linear_position`].
    pub fn linear_begin(
        &mut self,
        weights: Vec<Vec<i64>>,
        bias: Vec<i64>,
        positions: usize,
    ) -> usize {
        let k = weights.first().map_or(0, Vec::len);
        self.linears.push(Linear {
            weights,
            bias,
            inputs: vec![vec![None; positions]; k],
        });
        self.linears.len() - 1
    }

    /// Sets X[·][pos] (values are brought to the working scale) and returns Y[·][pos]
    /// at scale st+sp.
    pub fn linear_position(
        &mut self,
        linear: usize,
        pos: usize,
        xs: &[Option<ValueId>],
    ) -> Vec<ValueId> {
        let xs: Vec<Option<ValueId>> = xs.iter().map(|x| x.map(|id| self.rescaled(id))).collect();
        for (k, x) in xs.into_iter().enumerate() {
            self.linears[linear].inputs[k][pos] = x;
        }
        let scale = self.st + self.sp;
        (0..self.linears[linear].outs())
            .map(|out| self.push(Op::Product { linear, out, pos }, scale))
            .collect()
    }
}
