//! Reductions over axes: ReduceSum/ReduceMean (one dot row per output), ReduceMax and
//! GlobalMaxPool (a tree of max(a, b) = a + relu(b − a)), GlobalAveragePool, and
//! Softmax (max-shifted table exp, a table reciprocal refined by one Newton step).

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_i, attr_ints, node_name, Env};
use crate::error::{Error, ErrorCode};
use crate::ir::{ActKind, Lut, ValueId};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

fn shape_err(node: &NodeProto, what: &str) -> Error {
    Error::new(
        ErrorCode::ShapeMismatch,
        format!("node `{}` ({}): {what}", node_name(node), node.op_type),
    )
}

/// max(a, b) = a + relu(b − a), at the working scale.
pub fn max2(b: &mut ProgBuilder, a: ValueId, c: ValueId) -> ValueId {
    let st = b.st;
    let (a, c) = (b.rescaled(a), b.rescaled(c));
    let diff = b.dot(vec![(c, 1), (a, -1)], 0, st);
    let gain = b.act(diff, ActKind::Relu);
    b.dot(vec![(a, 1), (gain, 1)], 0, st)
}

/// min(a, b) = a − relu(a − b), at the working scale.
pub fn min2(b: &mut ProgBuilder, a: ValueId, c: ValueId) -> ValueId {
    let st = b.st;
    let (a, c) = (b.rescaled(a), b.rescaled(c));
    let diff = b.dot(vec![(a, 1), (c, -1)], 0, st);
    let excess = b.act(diff, ActKind::Relu);
    b.dot(vec![(a, 1), (excess, -1)], 0, st)
}

/// Element-wise `Max` / `Min` of any number of inputs with broadcasting (constants
/// alone fold; otherwise pairwise [`max2`] / [`min2`], constants as shared values).
pub fn extreme(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let args: Vec<&T> = (0..node.input.len())
        .map(|i| env.get(node, i))
        .collect::<Result<_, _>>()?;
    if args.is_empty() {
        return Err(shape_err(node, "no inputs"));
    }
    if args.iter().all(|a| matches!(a, T::C(_))) {
        return super::fold::fold(env, node);
    }
    let mut shape: Vec<usize> = Vec::new();
    for a in &args {
        shape = super::fold::broadcast_shape(&shape, &a.shape())
            .ok_or_else(|| shape_err(node, "inputs do not broadcast"))?;
    }
    let is_max = node.op_type == "Max";
    let mut acc: Option<ArrayD<ValueId>> = None;
    for a in args {
        let ids: ArrayD<ValueId> = match a {
            T::V(v) => v.broadcast(IxDyn(&shape)).expect("broadcast").to_owned(),
            T::C(c) => c
                .broadcast(IxDyn(&shape))
                .expect("broadcast")
                .mapv(|x| b.constant(x)),
        };
        acc = Some(match acc {
            None => ids,
            Some(prev) => {
                let mut out = prev.clone();
                for (o, (&p, &n)) in out.iter_mut().zip(prev.iter().zip(ids.iter())) {
                    *o = if is_max { max2(b, p, n) } else { min2(b, p, n) };
                }
                out
            }
        });
    }
    Ok(T::V(acc.expect("at least one input")))
}

/// Maximum of `ids` as a balanced tree of [`max2`] (depth ⌈log2 n⌉).
pub fn max_of(b: &mut ProgBuilder, ids: &[ValueId]) -> ValueId {
    let mut level: Vec<ValueId> = ids.iter().map(|&id| b.rescaled(id)).collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| {
                if p.len() == 2 {
                    max2(b, p[0], p[1])
                } else {
                    p[0]
                }
            })
            .collect();
    }
    level[0]
}

/// Σ ids (all brought to the working scale) times `weight`, as one dot row.
fn weighted_sum(b: &mut ProgBuilder, ids: &[ValueId], weight: f64) -> ValueId {
    let (st, sp) = (b.st, b.sp);
    let terms: Vec<(ValueId, i64)> = ids.iter().map(|&id| (b.rescaled(id), 1)).collect();
    if weight == 1.0 {
        return b.dot(terms, 0, st);
    }
    let wq = q(weight, sp);
    let terms = terms.into_iter().map(|(id, _)| (id, wq)).collect();
    b.dot(terms, 0, st + sp)
}

/// Groups the elements of a `shape` tensor by their position outside `axes`: returns the
/// output shape (reduced axes kept as 1) and, per output element, the flat input indices.
fn groups(shape: &[usize], axes: &[usize]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let out_shape: Vec<usize> = shape
        .iter()
        .enumerate()
        .map(|(i, &d)| if axes.contains(&i) { 1 } else { d })
        .collect();
    let out_len: usize = out_shape.iter().product();
    let mut groups = vec![Vec::new(); out_len];
    let total: usize = shape.iter().product();
    for flat in 0..total {
        let (mut rem, mut out_flat, mut stride) = (flat, 0, 1);
        let mut coords = vec![0; shape.len()];
        for i in (0..shape.len()).rev() {
            coords[i] = rem % shape[i];
            rem /= shape[i];
        }
        for i in (0..shape.len()).rev() {
            let c = if axes.contains(&i) { 0 } else { coords[i] };
            out_flat += c * stride;
            stride *= out_shape[i];
        }
        groups[out_flat].push(flat);
    }
    (out_shape, groups)
}

fn norm_axes(node: &NodeProto, axes: &[i64], rank: usize) -> Result<Vec<usize>, Error> {
    axes.iter()
        .map(|&a| {
            let r = if a < 0 { a + rank as i64 } else { a };
            if (0..rank as i64).contains(&r) {
                Ok(r as usize)
            } else {
                Err(shape_err(node, "axis out of range"))
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Sum,
    Mean,
    Max,
}

/// ReduceSum / ReduceMean / ReduceMax, GlobalAveragePool / GlobalMaxPool.
pub fn reduce(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let x = env.get(node, 0)?;
    let shape = x.shape();
    let rank = shape.len();
    let (kind, axes, keep) = match node.op_type.as_str() {
        "GlobalAveragePool" | "GlobalMaxPool" => {
            if rank < 3 {
                return Err(shape_err(node, "expected N×C×spatial input"));
            }
            let kind = if node.op_type == "GlobalMaxPool" {
                Kind::Max
            } else {
                Kind::Mean
            };
            (kind, (2..rank).collect::<Vec<_>>(), true)
        }
        op => {
            let kind = match op {
                "ReduceSum" => Kind::Sum,
                "ReduceMean" => Kind::Mean,
                _ => Kind::Max,
            };
            let listed = match env.opt(node, 1) {
                Some(T::C(c)) => Some(c.iter().map(|&v| v as i64).collect::<Vec<_>>()),
                Some(T::V(_)) => {
                    return Err(Error::unsupported_op(
                        &format!("{op} (variable axes)"),
                        &node_name(node),
                    ))
                }
                None => attr_ints(node, "axes")?,
            };
            let axes = match listed {
                Some(a) if !a.is_empty() => norm_axes(node, &a, rank)?,
                _ if attr_i(node, "noop_with_empty_axes", 0)? != 0 => {
                    return Ok(x.clone());
                }
                _ => (0..rank).collect(),
            };
            (kind, axes, attr_i(node, "keepdims", 1)? != 0)
        }
    };
    let (out_shape, groups) = groups(&shape, &axes);
    let final_shape: Vec<usize> = if keep {
        out_shape.clone()
    } else {
        out_shape
            .iter()
            .enumerate()
            .filter(|(i, _)| !axes.contains(i))
            .map(|(_, &d)| d)
            .collect()
    };
    match x {
        T::C(a) => {
            let flat: Vec<f64> = a.iter().copied().collect();
            let vals: Vec<f64> = groups
                .iter()
                .map(|g| {
                    let it = g.iter().map(|&i| flat[i]);
                    match kind {
                        Kind::Sum => it.sum(),
                        Kind::Mean => it.sum::<f64>() / g.len().max(1) as f64,
                        Kind::Max => it.fold(f64::NEG_INFINITY, f64::max),
                    }
                })
                .collect();
            Ok(T::C(
                ArrayD::from_shape_vec(IxDyn(&final_shape), vals).expect("shape"),
            ))
        }
        T::V(a) => {
            if groups.iter().any(|g| g.is_empty()) {
                return Err(shape_err(node, "reduction over an empty axis"));
            }
            let flat: Vec<ValueId> = a.iter().copied().collect();
            let mut ids = Vec::with_capacity(groups.len());
            for g in &groups {
                let members: Vec<ValueId> = g.iter().map(|&i| flat[i]).collect();
                ids.push(match kind {
                    Kind::Sum => weighted_sum(b, &members, 1.0),
                    Kind::Mean => weighted_sum(b, &members, 1.0 / members.len() as f64),
                    Kind::Max => max_of(b, &members),
                });
            }
            Ok(T::V(
                ArrayD::from_shape_vec(IxDyn(&final_shape), ids).expect("shape"),
            ))
        }
    }
}

/// exp inputs are clamped at −8 (the default table's lower end): e^−8 ≈ 3·10⁻⁴ of the
/// row's largest term, far below the fidelity bound, and the table needs no wider range.
const EXP_FLOOR: f64 = 8.0;

/// 1/s for a sum s ≥ 1 of at most `n` terms ≤ 1. The sum is scaled by 2^-k into the
/// table's range (≤ 4 for small n; k ≤ lookup_scale − 2 so the table's relative error
/// δ ≤ 2^(k−ls−1) stays ≤ 1/8), then refined by Newton steps r ← r·(2 − s·r), each of
/// which squares the relative error, until δ < 10⁻⁵.
pub fn reciprocal_of_sum(b: &mut ProgBuilder, s: ValueId, n: usize) -> ValueId {
    let (st, sp) = (b.st, b.sp);
    let ls = st - b.e_lut;
    let k = ((n as f64 / 4.0).log2().ceil().max(0.0) as u32)
        .min(ls.saturating_sub(2))
        .min(sp);
    let mut delta = 2f64.powi(k as i32 - ls as i32 - 1);
    let s = b.rescaled(s);
    let scaled = b.dot(vec![(s, 1i64 << (sp - k))], 0, st + sp);
    let r0 = b.act(scaled, ActKind::Lut(Lut::Reciprocal));
    let r0 = b.dot(vec![(r0, 1i64 << (sp - k))], 0, st + sp);
    let mut r = b.rescaled(r0);
    loop {
        let sr = b.mul(s, r);
        let sr = b.rescaled(sr);
        let two_minus = b.dot(vec![(sr, -1)], q(2.0, st), st);
        let next = b.mul(r, two_minus);
        r = b.rescaled(next);
        delta *= delta;
        if delta < 1e-5 {
            return r;
        }
    }
}

/// Softmax along `axis` (opset ≥ 13: that axis alone; older: the input flattened to 2-D
/// at `axis`, normalised over the trailing block).
pub fn softmax(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let x = env.get(node, 0)?;
    let shape = x.shape();
    let rank = shape.len();
    let default_axis = if env.opset >= 13 { -1 } else { 1 };
    let ax = norm_axes(node, &[attr_i(node, "axis", default_axis)?], rank.max(1))?[0];
    let axes: Vec<usize> = if env.opset >= 13 {
        vec![ax]
    } else {
        (ax..rank).collect()
    };
    let (_, groups) = groups(&shape, &axes);
    match x {
        T::C(a) => {
            let flat: Vec<f64> = a.iter().copied().collect();
            let mut out = flat.clone();
            for g in &groups {
                let m = g.iter().map(|&i| flat[i]).fold(f64::NEG_INFINITY, f64::max);
                let s: f64 = g.iter().map(|&i| (flat[i] - m).exp()).sum();
                for &i in g {
                    out[i] = (flat[i] - m).exp() / s;
                }
            }
            Ok(T::C(
                ArrayD::from_shape_vec(IxDyn(&shape), out).expect("shape"),
            ))
        }
        T::V(a) => {
            let flat: Vec<ValueId> = a.iter().copied().collect();
            let mut out = flat.clone();
            let st = b.st;
            for g in &groups {
                let members: Vec<ValueId> = g.iter().map(|&i| b.rescaled(flat[i])).collect();
                let m = max_of(b, &members);
                let mut exps = Vec::with_capacity(members.len());
                for &v in &members {
                    // z = v − m ≤ 0, clamped: max(z, −L) = z + relu(−z − L).
                    let negz = b.dot(vec![(m, 1), (v, -1)], -q(EXP_FLOOR, st), st);
                    let r = b.act(negz, ActKind::Relu);
                    let z = b.dot(vec![(v, 1), (m, -1), (r, 1)], 0, st);
                    exps.push(b.act(z, ActKind::Lut(Lut::Exp)));
                }
                let terms = exps.iter().map(|&e| (e, 1)).collect();
                let sum = b.dot(terms, 0, st);
                let r = reciprocal_of_sum(b, sum, members.len());
                let r = b.rescaled(r);
                for (&i, &e) in g.iter().zip(&exps) {
                    out[i] = b.mul(e, r);
                }
            }
            Ok(T::V(
                ArrayD::from_shape_vec(IxDyn(&shape), out).expect("shape"),
            ))
        }
    }
}
