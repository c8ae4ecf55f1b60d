//! LayerNormalization: mean and variance as dot rows over products, 1/√(var + ε) from
//! the table refined by Newton steps r ← r·(3 − v·r²)/2, then (x − mean)·r·γ + β.

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_f, attr_i, node_name, Env};
use crate::error::{Error, ErrorCode};
use crate::ir::{ActKind, Lut, ValueId};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

/// Newton refinements of the table's 1/√v: each squares the relative error, so a
/// table sample 10% off ends within 2·10⁻⁴.
const RSQRT_STEPS: usize = 2;

fn shape_err(node: &NodeProto, what: &str) -> Error {
    Error::new(
        ErrorCode::ShapeMismatch,
        format!("node `{}` ({}): {what}", node_name(node), node.op_type),
    )
}

/// 1/√v for v at any scale, from the table plus [`RSQRT_STEPS`] Newton steps.
pub fn rsqrt(b: &mut ProgBuilder, v: ValueId) -> ValueId {
    let (st, sp) = (b.st, b.sp);
    let v = b.rescaled(v);
    let r0 = b.act(v, ActKind::Lut(Lut::Rsqrt));
    let mut r = r0;
    for _ in 0..RSQRT_STEPS {
        let r2 = b.mul(r, r);
        let vr2 = b.mul(v, r2);
        let vr2 = b.rescaled(vr2);
        let f = b.dot(vec![(vr2, -q(0.5, sp))], q(1.5, st + sp), st + sp);
        let next = b.mul(r, f);
        r = b.rescaled(next);
    }
    r
}

/// √x as x·(1/√x): the square root is not Lipschitz at 0, so a table of it is off by up
/// to √(step)/2 there (0.03 at lookup scale 8); the refined 1/√x times x is exact at 0 and
/// converges from below for small x.
pub fn sqrt(b: &mut ProgBuilder, x: ValueId) -> ValueId {
    let xr = b.rescaled(x);
    let nonneg = b.act(xr, ActKind::Relu);
    let r = rsqrt(b, nonneg);
    b.mul(nonneg, r)
}

/// The per-element (γ, β) of a constant scale/bias input broadcast to `shape`.
fn param(
    env: &Env,
    node: &NodeProto,
    i: usize,
    shape: &[usize],
) -> Result<Option<Vec<f64>>, Error> {
    match env.opt(node, i) {
        None => Ok(None),
        Some(T::C(c)) => Ok(Some(
            c.broadcast(IxDyn(shape))
                .ok_or_else(|| shape_err(node, "scale or bias does not broadcast"))?
                .iter()
                .copied()
                .collect(),
        )),
        Some(T::V(_)) => Err(Error::unsupported_op(
            "LayerNormalization (variable scale or bias)",
            &node_name(node),
        )),
    }
}

/// LayerNormalization over the axes from `axis` to the last (first output only).
pub fn layer_norm(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<Vec<T>, Error> {
    if node.output.iter().skip(1).any(|o| !o.is_empty()) {
        return Err(Error::unsupported_op(
            "LayerNormalization (Mean or InvStdDev outputs)",
            &node_name(node),
        ));
    }
    let x = env.get(node, 0)?;
    let shape = x.shape();
    let rank = shape.len() as i64;
    let axis = attr_i(node, "axis", -1)?;
    let axis = if axis < 0 { axis + rank } else { axis };
    if !(0..rank).contains(&axis) {
        return Err(shape_err(node, "axis out of range"));
    }
    let eps = f64::from(attr_f(node, "epsilon", 1e-5)?);
    let inner: usize = shape[axis as usize..].iter().product();
    let gamma = param(env, node, 1, &shape[axis as usize..])?.unwrap_or(vec![1.0; inner]);
    let beta = param(env, node, 2, &shape[axis as usize..])?.unwrap_or(vec![0.0; inner]);
    if inner == 0 {
        return Err(shape_err(node, "empty normalisation axis"));
    }
    let n = inner as f64;
    match x {
        T::C(a) => {
            let mut out: Vec<f64> = a.iter().copied().collect();
            for row in out.chunks_mut(inner) {
                let mean = row.iter().sum::<f64>() / n;
                let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
                let r = 1.0 / (var + eps).sqrt();
                for (j, v) in row.iter_mut().enumerate() {
                    *v = (*v - mean) * r * gamma[j] + beta[j];
                }
            }
            Ok(vec![T::C(
                ArrayD::from_shape_vec(IxDyn(&shape), out).expect("shape"),
            )])
        }
        T::V(a) => {
            let (st, sp) = (b.st, b.sp);
            let flat: Vec<ValueId> = a.iter().copied().collect();
            let mut out = Vec::with_capacity(flat.len());
            for row in flat.chunks(inner) {
                let xs: Vec<ValueId> = row.iter().map(|&id| b.rescaled(id)).collect();
                let mean = b.dot(
                    xs.iter().map(|&x| (x, q(1.0 / n, sp))).collect(),
                    0,
                    st + sp,
                );
                let mean = b.rescaled(mean);
                let d: Vec<ValueId> = xs
                    .iter()
                    .map(|&x| b.dot(vec![(x, 1), (mean, -1)], 0, st))
                    .collect();
                let sq: Vec<ValueId> = d.iter().map(|&v| b.mul(v, v)).collect();
                let ss = b.dot(sq.iter().map(|&s| (s, 1)).collect(), 0, 2 * st);
                let ss = b.rescaled(ss);
                let var = b.dot(vec![(ss, q(1.0 / n, sp))], q(eps, st + sp), st + sp);
                let r = rsqrt(b, var);
                for (j, &dv) in d.iter().enumerate() {
                    let y = b.mul(dv, r);
                    let y = b.rescaled(y);
                    out.push(b.dot(vec![(y, q(gamma[j], sp))], q(beta[j], st + sp), st + sp));
                }
            }
            Ok(vec![T::V(
                ArrayD::from_shape_vec(IxDyn(&shape), out).expect("shape"),
            )])
        }
    }
}
