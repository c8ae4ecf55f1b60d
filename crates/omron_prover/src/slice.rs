//! Sliced models: one model cut into K circuits of contiguous ops, proved independently.
//!
//! A cut after op c leaves a *boundary*: the values made before c that an op after c
//! (or the model's output list) still reads, in value order. Slice i's public outputs are
//! the boundary after it and slice i+1's public inputs are the same values, so a chain of
//! proofs binds every boundary in two proofs and a verifier only compares integers (see
//! [`crate::verify_chain`]). One integer forward pass of the whole program gives every
//! slice's inputs, so all slices can be proved at once, on one machine or many.
//!
//! Cuts are placed near equal shares of the estimated layout cost and, within a window
//! around each share, where the boundary is smallest (fewest public values). Layers checked
//! with challenges may be split: each slice checks the positions it computes.

use crate::compile::{assemble, lower_with, CompileOptions, CompiledModel};
use crate::error::{Error, ErrorCode};
use crate::forward::{evaluate, quantize_checked};
use crate::ir::{ActKind, Linear, Op, Program, ValueId};
use crate::prove::PublicInputs;
use crate::settings::SliceInfo;
use crate::table::{low_bits, LookupSpec};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Most slices a model may be cut into.
pub const MAX_SLICES: usize = 64;

/// How many slices to cut a model into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceBudget {
    /// Exactly this many slices (1 = the whole model as one slice).
    Count(usize),
    /// As few slices as keep every slice's layout within this many rows.
    MaxRows(usize),
}

/// A model compiled as a chain of slice circuits (each with its own keys).
#[derive(Debug, Clone)]
pub struct SlicedModel {
    slices: Vec<CompiledModel>,
    model_hash: String,
    program: Arc<Program>,
    spec: LookupSpec,
    options: CompileOptions,
    input_shapes: Vec<Vec<usize>>,
    output_shapes: Vec<Vec<usize>>,
    /// Value ids of boundary i (between slice i and i+1), K−1 of them.
    boundaries: Vec<Vec<ValueId>>,
}

impl SlicedModel {
    /// The slice circuits in chain order.
    pub fn slices(&self) -> &[CompiledModel] {
        &self.slices
    }

    /// Hash of the whole model (ONNX bytes and compile options), shared by all slices.
    pub fn model_hash(&self) -> &str {
        &self.model_hash
    }

    /// Number of values crossing each boundary (K−1 entries).
    pub fn boundary_lens(&self) -> Vec<usize> {
        self.boundaries.iter().map(Vec::len).collect()
    }

    /// One integer forward pass on `inputs` (one `Vec` per model input): the public
    /// values of every slice's proof, in chain order. Fails like [`crate::forward`].
    pub fn forward(&self, inputs: &[Vec<f64>]) -> Result<Vec<PublicInputs>, Error> {
        let quantized = quantize_checked(&self.input_shapes, &self.options, inputs)?;
        let flat: Vec<i64> = quantized.iter().flatten().copied().collect();
        let values = evaluate(&self.program, &self.spec, &flat)?;
        let pick = |ids: &[ValueId]| ids.iter().map(|&id| values[id]).collect::<Vec<_>>();
        let mut it = self.program.outputs.iter().map(|&id| values[id]);
        let outputs: Vec<Vec<i64>> = self
            .output_shapes
            .iter()
            .map(|s| it.by_ref().take(s.iter().product()).collect())
            .collect();
        let k = self.slices.len();
        Ok((0..k)
            .map(|i| PublicInputs {
                inputs: if i == 0 {
                    quantized.clone()
                } else {
                    vec![pick(&self.boundaries[i - 1])]
                },
                outputs: if i + 1 == k {
                    outputs.clone()
                } else {
                    vec![pick(&self.boundaries[i])]
                },
            })
            .collect())
    }
}

/// Compiles ONNX bytes into a chain of slice circuits. Each slice's settings carry a
/// [`SliceInfo`] and a hash of the model hash, slice count, index and op range; slice 0
/// takes the model's inputs (quantized as a single proof's), the last gives its outputs.
/// `BAD_SETTINGS` when the model has too few ops for the count or no count within
/// [`MAX_SLICES`] meets the row budget.
pub fn compile_slices(
    onnx: &[u8],
    options: &CompileOptions,
    budget: SliceBudget,
) -> Result<SlicedModel, Error> {
    let whole = crate::compile(onnx, options)?;
    let (lowered, spec) = lower_with(onnx, options)?;
    let prog = Arc::new(lowered.program);
    let cutter = Cutter::new(&prog);
    let build = |count: usize| -> Result<SlicedModel, Error> {
        let cuts = cutter.cuts(count)?;
        let mut bounds = vec![0];
        bounds.extend(&cuts);
        bounds.push(prog.ops.len());
        let boundaries: Vec<Vec<ValueId>> = cuts.iter().map(|&c| cutter.live(c)).collect();
        let mut slices = Vec::with_capacity(count);
        for i in 0..count {
            let (start, end) = (bounds[i], bounds[i + 1]);
            let ins = if i == 0 {
                None
            } else {
                Some(&boundaries[i - 1][..])
            };
            let outs = if i + 1 == count {
                None
            } else {
                Some(&boundaries[i][..])
            };
            let sub = slice_program(&prog, start, end, ins, outs);
            let sub_spec = slice_spec(&spec, &sub);
            let input_shapes = match ins {
                None => lowered.input_shapes.clone(),
                Some(b) => vec![vec![b.len()]],
            };
            let output_shapes = match outs {
                None => lowered.output_shapes.clone(),
                Some(b) => vec![vec![b.len()]],
            };
            let mut h = Sha256::new();
            h.update(b"omron-slice-v1");
            h.update(whole.settings().model_hash.as_bytes());
            for n in [count, i, start, end] {
                h.update((n as u64).to_le_bytes());
            }
            let mut model = assemble(
                sub,
                sub_spec,
                options,
                input_shapes,
                output_shapes,
                hex::encode(h.finalize()),
            )?;
            model.settings.slice = Some(SliceInfo {
                index: i,
                count,
                model_hash: whole.settings().model_hash.clone(),
            });
            slices.push(model);
        }
        Ok(SlicedModel {
            slices,
            model_hash: whole.settings().model_hash.clone(),
            program: prog.clone(),
            spec: spec.clone(),
            options: options.clone(),
            input_shapes: lowered.input_shapes.clone(),
            output_shapes: lowered.output_shapes.clone(),
            boundaries,
        })
    };
    match budget {
        SliceBudget::Count(count) => build(count),
        SliceBudget::MaxRows(rows) => {
            if rows < 64 {
                return Err(bad("a row budget must be at least 64 rows"));
            }
            let first = whole.settings().rows.div_ceil(rows).clamp(1, MAX_SLICES);
            for count in first..=MAX_SLICES.min(cutter.max_slices()) {
                let sliced = build(count)?;
                if sliced.slices.iter().all(|s| s.settings.rows <= rows) {
                    return Ok(sliced);
                }
            }
            Err(bad(&format!(
                "no cut into at most {MAX_SLICES} slices keeps every slice within {rows} rows"
            )))
        }
    }
}

fn bad(m: &str) -> Error {
    Error::new(ErrorCode::BadSettings, format!("invalid slicing: {m}"))
}

/// Values an op reads (a challenge-checked product reads its layer's inputs at its position).
fn reads(prog: &Program, op: &Op, mut f: impl FnMut(ValueId)) {
    match op {
        Op::Input { .. } => {}
        Op::Dot { terms, mul, .. } => {
            terms.iter().for_each(|&(id, _)| f(id));
            if let Some((a, b)) = mul {
                f(*a);
                f(*b);
            }
        }
        Op::Act { x, .. } => f(*x),
        Op::Product { linear, pos, .. } => prog.linears[*linear]
            .inputs
            .iter()
            .filter_map(|xs| xs[*pos])
            .for_each(f),
    }
}

/// Chooses cut points: cost shares, smallest boundaries, all model inputs in slice 0.
struct Cutter<'a> {
    prog: &'a Program,
    /// Last op reading each value (ops.len() for model outputs).
    last_use: Vec<usize>,
    /// Cumulative estimated cost of ops [0, i).
    cost: Vec<f64>,
    /// Number of live values at each cut c in 0..=n.
    live_count: Vec<usize>,
    /// Smallest allowed first cut (after the last input op).
    first: usize,
}

impl<'a> Cutter<'a> {
    fn new(prog: &'a Program) -> Self {
        let n = prog.ops.len();
        let mut last_use: Vec<usize> = (0..n).collect();
        let mut seen_position = BTreeSet::new();
        let mut cost = vec![0.0; n + 1];
        for (i, op) in prog.ops.iter().enumerate() {
            reads(prog, op, |id| last_use[id] = last_use[id].max(i));
            // Rough cells of layout per op: dot terms, a 3-row requantization band, and
            // for a layer position its output chain plus its share of the check.
            let c = match op {
                Op::Input { .. } => 1.0,
                Op::Dot { terms, mul, .. } => {
                    (terms.len() + 1 + 2 * usize::from(mul.is_some())) as f64
                }
                Op::Act { .. } => 6.0,
                Op::Product { linear, pos, .. } => {
                    let l = &prog.linears[*linear];
                    if seen_position.insert((*linear, *pos)) {
                        (2 * l.outs() + l.inputs.len() + 1) as f64
                    } else {
                        0.0
                    }
                }
            };
            cost[i + 1] = cost[i] + c;
        }
        for &id in &prog.outputs {
            last_use[id] = n;
        }
        // Value v is live at cuts v+1 ..= last_use[v].
        let mut diff = vec![0i64; n + 2];
        for (v, &last) in last_use.iter().enumerate() {
            if last > v {
                diff[v + 1] += 1;
                diff[last + 1] -= 1;
            }
        }
        let mut live_count = Vec::with_capacity(n + 1);
        let mut acc = 0i64;
        for d in diff.iter().take(n + 1) {
            acc += d;
            live_count.push(acc as usize);
        }
        let first = prog
            .ops
            .iter()
            .rposition(|op| matches!(op, Op::Input { .. }))
            .map_or(1, |i| i + 1);
        Cutter {
            prog,
            last_use,
            cost,
            live_count,
            first,
        }
    }

    /// Most slices possible: every slice needs at least one op, and slice 0 all inputs.
    fn max_slices(&self) -> usize {
        self.prog.ops.len().saturating_sub(self.first) + 1
    }

    /// Values live at cut `c`, in value order.
    fn live(&self, c: usize) -> Vec<ValueId> {
        (0..c).filter(|&v| self.last_use[v] >= c).collect()
    }

    fn cuts(&self, count: usize) -> Result<Vec<usize>, Error> {
        let n = self.prog.ops.len();
        if count == 0 || count > MAX_SLICES {
            return Err(bad(&format!("slice count must be within 1..={MAX_SLICES}")));
        }
        if count > self.max_slices() {
            return Err(bad(&format!(
                "the model has too few ops for {count} slices (at most {})",
                self.max_slices()
            )));
        }
        let total = self.cost[n];
        let window = total / (4.0 * count as f64);
        let mut cuts = Vec::with_capacity(count - 1);
        let mut prev = 0;
        for j in 1..count {
            let target = total * j as f64 / count as f64;
            let lo = self.first.max(prev + 1);
            let hi = n - (count - j);
            let near = |c: usize| (self.cost[c] - target).abs();
            let best = (lo..=hi)
                .filter(|&c| near(c) <= window)
                .min_by(|&a, &b| {
                    self.live_count[a]
                        .cmp(&self.live_count[b])
                        .then(near(a).total_cmp(&near(b)))
                })
                .or_else(|| (lo..=hi).min_by(|&a, &b| near(a).total_cmp(&near(b))))
                .ok_or_else(|| bad("no room for a cut"))?;
            cuts.push(best);
            prev = best;
        }
        Ok(cuts)
    }
}

/// The program of ops [start, end): `ins` (values made before `start`) become its public
/// inputs, `outs` its public outputs (`None`: the model's own inputs / outputs).
fn slice_program(
    prog: &Program,
    start: usize,
    end: usize,
    ins: Option<&[ValueId]>,
    outs: Option<&[ValueId]>,
) -> Program {
    let mut map: Vec<Option<ValueId>> = vec![None; end];
    let mut ops = Vec::new();
    let mut scales = Vec::new();
    let input_len = match ins {
        None => prog.input_len,
        Some(ins) => {
            for (index, &v) in ins.iter().enumerate() {
                map[v] = Some(ops.len());
                ops.push(Op::Input { index });
                scales.push(prog.scales[v]);
            }
            ins.len()
        }
    };
    // Each layer keeps the positions this slice computes, renumbered in order.
    let mut positions: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); prog.linears.len()];
    for op in &prog.ops[start..end] {
        if let Op::Product { linear, pos, .. } = op {
            positions[*linear].insert(*pos);
        }
    }
    let mut new_linear = vec![None; prog.linears.len()];
    let mut kept: Vec<(usize, Vec<usize>)> = Vec::new();
    for (l, set) in positions.iter().enumerate() {
        if !set.is_empty() {
            new_linear[l] = Some(kept.len());
            kept.push((l, set.iter().copied().collect()));
        }
    }
    let id = |map: &[Option<ValueId>], v: ValueId| map[v].expect("a read value is in the slice");
    for (i, op) in prog.ops[start..end].iter().enumerate() {
        let new = match op {
            Op::Input { index } => Op::Input { index: *index },
            Op::Dot { terms, bias, mul } => Op::Dot {
                terms: terms.iter().map(|&(v, w)| (id(&map, v), w)).collect(),
                bias: *bias,
                mul: mul.map(|(a, b)| (id(&map, a), id(&map, b))),
            },
            Op::Act { x, d, e, kind } => Op::Act {
                x: id(&map, *x),
                d: *d,
                e: *e,
                kind: *kind,
            },
            Op::Product { linear, out, pos } => {
                let nl = new_linear[*linear].expect("kept");
                let np = kept[nl].1.binary_search(pos).expect("kept position");
                Op::Product {
                    linear: nl,
                    out: *out,
                    pos: np,
                }
            }
        };
        map[start + i] = Some(ops.len());
        ops.push(new);
        scales.push(prog.scales[start + i]);
    }
    let linears = kept
        .iter()
        .map(|(l, ps)| {
            let lin = &prog.linears[*l];
            Linear {
                weights: lin.weights.clone(),
                bias: lin.bias.clone(),
                inputs: lin
                    .inputs
                    .iter()
                    .map(|xs| ps.iter().map(|&p| xs[p].map(|v| id(&map, v))).collect())
                    .collect(),
            }
        })
        .collect();
    let outputs = outs
        .unwrap_or(&prog.outputs)
        .iter()
        .map(|&v| id(&map, v))
        .collect();
    Program {
        ops,
        scales,
        input_len,
        outputs,
        linears,
    }
}

/// The table sections a slice uses (tags are fixed per width and function, so a smaller
/// table keeps every entry the slice looks up).
fn slice_spec(spec: &LookupSpec, prog: &Program) -> LookupSpec {
    let mut widths = BTreeSet::new();
    let mut functions = BTreeSet::new();
    for op in &prog.ops {
        if let Op::Act { d, e, kind, .. } = op {
            // The table checks the low parts of remainders (see `table::TOP_BITS`), as the
            // whole model's builder records them.
            widths.insert(low_bits(*d));
            widths.insert(low_bits(*e));
            if let ActKind::Lut(f) = kind {
                functions.insert(*f);
            }
        }
    }
    LookupSpec {
        range_widths: spec
            .range_widths
            .iter()
            .copied()
            .filter(|w| widths.contains(w))
            .collect(),
        functions: spec
            .functions
            .iter()
            .copied()
            .filter(|f| functions.contains(f))
            .collect(),
        ..spec.clone()
    }
}
