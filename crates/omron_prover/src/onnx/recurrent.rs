//! ONNX `LSTM` unrolled over its time steps: gate pre-activations are dot rows, the gate
//! non-linearities table lookups, and the cell update products with a fused sum.

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_f, attr_i, attr_s, node_name, Env};
use crate::error::{Error, ErrorCode};
use crate::ir::{ActKind, Lut, ValueId};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

/// A scalar during lowering: a compile-time constant or an IR value (shared with the GRU lowering).
#[derive(Clone, Copy, Debug)]
pub(super) enum S {
    C(f64),
    V(ValueId),
}

fn elems(t: &T) -> Vec<S> {
    match t {
        T::C(a) => a.iter().map(|&x| S::C(x)).collect(),
        T::V(a) => a.iter().map(|&id| S::V(id)).collect(),
    }
}

pub(super) fn shape_err(node: &NodeProto, what: &str) -> Error {
    Error::new(
        ErrorCode::ShapeMismatch,
        format!("node `{}` ({}): {what}", node_name(node), node.op_type),
    )
}

pub(super) fn unsupported(node: &NodeProto, what: &str) -> Error {
    Error::unsupported_op(&format!("{} ({what})", node.op_type), &node_name(node))
}

/// Rejects attributes other than the defaults this lowering implements.
pub(super) fn check_attrs(node: &NodeProto, defaults: &[&str]) -> Result<(), Error> {
    if let Some(d) = attr_s(node, "direction")? {
        if d != "forward" {
            return Err(unsupported(node, &format!("direction {d}")));
        }
    }
    if attr_i(node, "layout", 0)? != 0 {
        return Err(unsupported(node, "layout 1"));
    }
    if attr_i(node, "input_forget", 0)? != 0 {
        return Err(unsupported(node, "input_forget"));
    }
    if attr_f(node, "clip", f32::INFINITY)?.is_finite() {
        return Err(unsupported(node, "clip"));
    }
    let acts = node
        .get_attr_opt_vec::<String>("activations")
        .map_err(|e| crate::error::bad_model(e.to_string()))?;
    if let Some(acts) = acts {
        let ok = acts.len() == defaults.len()
            && acts
                .iter()
                .zip(defaults)
                .all(|(a, d)| a.eq_ignore_ascii_case(d));
        if !ok {
            return Err(unsupported(node, "non-default activations"));
        }
    }
    Ok(())
}

/// Σ x·w + constant at scale st+sp over a mix of values and constants.
pub(super) fn affine(b: &mut ProgBuilder, xs: &[(S, f64)], constant: f64) -> ValueId {
    let (st, sp) = (b.st, b.sp);
    let mut c = constant;
    let mut terms = Vec::new();
    for &(x, w) in xs {
        match x {
            S::C(v) => c += v * w,
            S::V(id) => {
                let wq = q(w, sp);
                if wq != 0 {
                    terms.push((b.rescaled(id), wq));
                }
            }
        }
    }
    b.dot(terms, q(c, st + sp), st + sp)
}

/// X, W and R of a recurrent node and its sizes, checked: X [seq, batch, in], W [1, G·H, in]
/// and R [1, G·H, H] for `gates` gates, a non-empty sequence and batch, and `hidden_size`
/// (when given) equal to H.
pub(super) struct RecurrentShape<'a> {
    pub x: &'a T,
    pub w: &'a ArrayD<f64>,
    pub r: &'a ArrayD<f64>,
    pub seq: usize,
    pub batch: usize,
    pub inp: usize,
    pub hidden: usize,
}

pub(super) fn recurrent_shape<'a>(
    env: &'a Env,
    node: &NodeProto,
    gates: usize,
) -> Result<RecurrentShape<'a>, Error> {
    let x = env.get(node, 0)?;
    let w = env.konst(node, 1)?;
    let r = env.konst(node, 2)?;
    let xs = x.shape();
    if xs.len() != 3 || w.ndim() != 3 || r.ndim() != 3 || w.shape()[0] != 1 {
        return Err(shape_err(
            node,
            &format!("expected X [seq, batch, in], W and R [1, {gates}H, ·]"),
        ));
    }
    let (seq, batch, inp) = (xs[0], xs[1], xs[2]);
    if seq == 0 || batch == 0 {
        return Err(shape_err(node, "empty sequence or batch"));
    }
    let hidden = r.shape()[2];
    if w.shape()[1] != gates * hidden || w.shape()[2] != inp || r.shape()[1] != gates * hidden {
        return Err(shape_err(node, "W or R does not match the hidden size"));
    }
    if attr_i(node, "hidden_size", hidden as i64)? != hidden as i64 {
        return Err(shape_err(node, "hidden_size differs from R"));
    }
    Ok(RecurrentShape {
        x,
        w,
        r,
        seq,
        batch,
        inp,
        hidden,
    })
}

/// Lowers a forward, default-activation LSTM without peepholes or sequence lengths.
pub fn lstm(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<Vec<T>, Error> {
    check_attrs(node, &["Sigmoid", "Tanh", "Tanh"])?;
    if env.opt(node, 4).is_some() {
        return Err(unsupported(node, "sequence_lens"));
    }
    if env.opt(node, 7).is_some() {
        return Err(unsupported(node, "peepholes"));
    }
    let RecurrentShape {
        x,
        w,
        r,
        seq,
        batch,
        inp,
        hidden,
    } = recurrent_shape(env, node, 4)?;
    let bias: Vec<f64> = match env.opt(node, 3) {
        Some(T::C(c)) if c.len() == 8 * hidden => {
            let c: Vec<f64> = c.iter().copied().collect();
            (0..4 * hidden).map(|i| c[i] + c[4 * hidden + i]).collect()
        }
        Some(_) => return Err(shape_err(node, "B must be a constant [1, 8H]")),
        None => vec![0.0; 4 * hidden],
    };
    let initial = |i: usize| -> Result<Vec<S>, Error> {
        match env.opt(node, i) {
            Some(t) if t.shape().iter().product::<usize>() == batch * hidden => Ok(elems(t)),
            Some(_) => Err(shape_err(node, "initial state must be [1, batch, H]")),
            None => Ok(vec![S::C(0.0); batch * hidden]),
        }
    };
    let (mut h, mut c) = (initial(5)?, initial(6)?);
    let xv = elems(x);
    let st = b.st;
    let mut y = Vec::with_capacity(seq * batch * hidden);
    // W and R are reused at every step: one challenge-checked layer [W | R] over the
    // seq·batch positions when that is cheaper and every input is a value (a non-zero
    // constant initial state would need a per-position bias).
    let k = inp + hidden;
    let all_values = xv.iter().all(|s| matches!(s, S::V(_)))
        && h.iter().all(|s| match s {
            S::V(_) => true,
            S::C(v) => *v == 0.0,
        });
    let layer = (all_values && b.checks(4 * hidden, k, seq * batch)).then(|| {
        let (st, sp) = (b.st, b.sp);
        let weights = (0..4 * hidden)
            .map(|row| {
                (0..inp)
                    .map(|kk| q(w[[0, row, kk]], sp))
                    .chain((0..hidden).map(|kk| q(r[[0, row, kk]], sp)))
                    .collect()
            })
            .collect();
        let bias = bias.iter().map(|&v| q(v, st + sp)).collect();
        b.linear_begin(weights, bias, seq * batch)
    });
    for t in 0..seq {
        let (mut h_next, mut c_next) = (Vec::new(), Vec::new());
        for n in 0..batch {
            let xt = &xv[(t * batch + n) * inp..][..inp];
            let ht = &h[n * hidden..][..hidden];
            let pre: Vec<ValueId> = match layer {
                Some(l) => {
                    let xs: Vec<Option<ValueId>> = xt
                        .iter()
                        .chain(ht)
                        .map(|&s| match s {
                            S::V(id) => Some(id),
                            S::C(_) => None,
                        })
                        .collect();
                    b.linear_position(l, t * batch + n, &xs)
                }
                None => (0..4 * hidden)
                    .map(|row| {
                        let mut terms: Vec<(S, f64)> = xt
                            .iter()
                            .enumerate()
                            .map(|(k, &v)| (v, w[[0, row, k]]))
                            .collect();
                        terms.extend(ht.iter().enumerate().map(|(k, &v)| (v, r[[0, row, k]])));
                        affine(b, &terms, bias[row])
                    })
                    .collect(),
            };
            for j in 0..hidden {
                // ONNX gate order: input, output, forget, cell.
                let mut gate = |g: usize, f: Lut| b.act(pre[g * hidden + j], ActKind::Lut(f));
                let (gi, go, gf, gc) = (
                    gate(0, Lut::Sigmoid),
                    gate(1, Lut::Sigmoid),
                    gate(2, Lut::Sigmoid),
                    gate(3, Lut::Tanh),
                );
                let cell = match c[n * hidden + j] {
                    S::C(v) => {
                        let wq = q(v, st);
                        let terms = if wq != 0 { vec![(gf, wq)] } else { vec![] };
                        b.mul_add(gi, gc, terms, 0)
                    }
                    S::V(prev) => {
                        let fc = b.mul(gf, prev);
                        b.mul_add(gi, gc, vec![(fc, 1)], 0)
                    }
                };
                let tanh_c = b.act(cell, ActKind::Lut(Lut::Tanh));
                let hid = b.mul(go, tanh_c);
                c_next.push(S::V(b.rescaled(cell)));
                h_next.push(S::V(b.rescaled(hid)));
            }
        }
        y.extend(h_next.iter().map(|&s| id(s)));
        h = h_next;
        c = c_next;
    }
    let yh = h.iter().map(|&s| id(s)).collect();
    let yc = c.iter().map(|&s| id(s)).collect();
    let arr = |shape: &[usize], v: Vec<ValueId>| {
        T::V(ArrayD::from_shape_vec(IxDyn(shape), v).expect("shape"))
    };
    Ok(vec![
        arr(&[seq, 1, batch, hidden], y),
        arr(&[1, batch, hidden], yh),
        arr(&[1, batch, hidden], yc),
    ])
}

/// The value id of a state after at least one step (states are values then).
fn id(s: S) -> ValueId {
    match s {
        S::V(id) => id,
        S::C(_) => unreachable!("states are values after a step"),
    }
}
