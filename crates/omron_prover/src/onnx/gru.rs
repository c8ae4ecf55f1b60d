//! ONNX `GRU` unrolled over its time steps (forward, default Sigmoid/Tanh activations,
//! either `linear_before_reset`): gate pre-activations are dot rows, the gates table
//! lookups, and the state update h' = h̃ + z·(h − h̃) one product with a fused sum.

use super::prog::{q, ProgBuilder};
use super::recurrent::{
    affine, check_attrs, recurrent_shape, shape_err, unsupported, RecurrentShape, S,
};
use super::tensor::T;
use super::{attr_i, Env};
use crate::error::Error;
use crate::ir::{ActKind, Lut, ValueId};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

/// Lowers a forward, default-activation GRU without sequence lengths.
pub fn gru(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<Vec<T>, Error> {
    check_attrs(node, &["Sigmoid", "Tanh"])?;
    if env.opt(node, 4).is_some() {
        return Err(unsupported(node, "sequence_lens"));
    }
    let linear_before_reset = attr_i(node, "linear_before_reset", 0)? != 0;
    let RecurrentShape {
        x,
        w,
        r,
        seq,
        batch,
        inp,
        hidden,
    } = recurrent_shape(env, node, 3)?;
    let (wb, rb): (Vec<f64>, Vec<f64>) = match env.opt(node, 3) {
        Some(T::C(c)) if c.len() == 6 * hidden => {
            let c: Vec<f64> = c.iter().copied().collect();
            (c[..3 * hidden].to_vec(), c[3 * hidden..].to_vec())
        }
        Some(_) => return Err(shape_err(node, "B must be a constant [1, 6H]")),
        None => (vec![0.0; 3 * hidden], vec![0.0; 3 * hidden]),
    };
    let mut h: Vec<S> = match env.opt(node, 5) {
        Some(t) if t.shape().iter().product::<usize>() == batch * hidden => match t {
            T::C(a) => a.iter().map(|&v| S::C(v)).collect(),
            T::V(a) => a.iter().map(|&id| S::V(id)).collect(),
        },
        Some(_) => return Err(shape_err(node, "initial state must be [1, batch, H]")),
        None => vec![S::C(0.0); batch * hidden],
    };
    let xv: Vec<S> = match x {
        T::C(a) => a.iter().map(|&v| S::C(v)).collect(),
        T::V(a) => a.iter().map(|&id| S::V(id)).collect(),
    };
    let st = b.st;
    let mut y = Vec::with_capacity(seq * batch * hidden);
    for t in 0..seq {
        let mut h_next = Vec::with_capacity(batch * hidden);
        for n in 0..batch {
            let xt = &xv[(t * batch + n) * inp..][..inp];
            let ht: Vec<S> = h[n * hidden..][..hidden].to_vec();
            // Input part of a gate row, and the recurrent part over a given state.
            let x_terms = |row: usize| -> Vec<(S, f64)> {
                xt.iter()
                    .enumerate()
                    .map(|(k, &v)| (v, w[[0, row, k]]))
                    .collect()
            };
            let h_terms = |row: usize, state: &[S]| -> Vec<(S, f64)> {
                state
                    .iter()
                    .enumerate()
                    .map(|(k, &v)| (v, r[[0, row, k]]))
                    .collect()
            };
            // ONNX gate order: update (z), reset (r), hidden (h).
            let mut z = Vec::with_capacity(hidden);
            let mut rg = Vec::with_capacity(hidden);
            for j in 0..hidden {
                for (g, out) in [(0, &mut z), (1, &mut rg)] {
                    let row = g * hidden + j;
                    let mut terms = x_terms(row);
                    terms.extend(h_terms(row, &ht));
                    let pre = affine(b, &terms, wb[row] + rb[row]);
                    out.push(b.act(pre, ActKind::Lut(Lut::Sigmoid)));
                }
            }
            // r ⊙ h (as values; a constant state folds into weights).
            let reset_state: Vec<S> = if linear_before_reset {
                Vec::new()
            } else {
                ht.iter()
                    .zip(&rg)
                    .map(|(&hv, &rv)| match hv {
                        S::C(0.0) => S::C(0.0),
                        S::C(c) => {
                            let rr = b.rescaled(rv);
                            S::V(b.dot(vec![(rr, q(c, b.sp))], 0, st + b.sp))
                        }
                        S::V(id) => S::V(b.mul(rv, id)),
                    })
                    .collect()
            };
            for j in 0..hidden {
                let row = 2 * hidden + j;
                let pre = if linear_before_reset {
                    // r ⊙ (h·Rh + Rbh) added to the input part.
                    let rec = affine(b, &h_terms(row, &ht), rb[row]);
                    let rec = b.rescaled(rec);
                    let xpart = affine(b, &x_terms(row), wb[row]);
                    let xpart = b.rescaled(xpart);
                    b.mul_add(rg[j], rec, vec![(xpart, 1i64 << st)], 0)
                } else {
                    let mut terms = x_terms(row);
                    terms.extend(h_terms(row, &reset_state));
                    affine(b, &terms, wb[row] + rb[row])
                };
                let cand = b.act(pre, ActKind::Lut(Lut::Tanh));
                // h' = h̃ + z·(h − h̃).
                let diff = match ht[j] {
                    S::C(c) => b.dot(vec![(cand, -1)], q(c, st), st),
                    S::V(prev) => {
                        let prev = b.rescaled(prev);
                        b.dot(vec![(prev, 1), (cand, -1)], 0, st)
                    }
                };
                let next = b.mul_add(z[j], diff, vec![(cand, 1i64 << st)], 0);
                h_next.push(S::V(b.rescaled(next)));
            }
        }
        y.extend(h_next.iter().map(|&s| match s {
            S::V(id) => id,
            S::C(_) => unreachable!("states are values after a step"),
        }));
        h = h_next;
    }
    let yh: Vec<ValueId> = y[(seq - 1) * batch * hidden..].to_vec();
    let arr = |shape: &[usize], v: Vec<ValueId>| {
        T::V(ArrayD::from_shape_vec(IxDyn(shape), v).expect("shape"))
    };
    Ok(vec![
        arr(&[seq, 1, batch, hidden], y),
        arr(&[1, batch, hidden], yh),
    ])
}
