//! Add/Sub/Mul/Div with broadcasting, and lookup activations.

use super::fold::broadcast_shape;
use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{node_name, Env};
use crate::error::{Error, ErrorCode};
use crate::ir::ActKind;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn, Zip};

#[derive(Clone, Copy)]
enum E {
    C(f64),
    V(usize),
}

fn expand(t: &T, shape: &[usize]) -> ArrayD<E> {
    match t {
        T::C(a) => a.broadcast(IxDyn(shape)).expect("broadcast").mapv(E::C),
        T::V(a) => a.broadcast(IxDyn(shape)).expect("broadcast").mapv(E::V),
    }
}

pub fn binary(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let (x, y) = (env.get(node, 0)?, env.get(node, 1)?);
    let shape = broadcast_shape(&x.shape(), &y.shape()).ok_or_else(|| {
        Error::new(
            ErrorCode::ShapeMismatch,
            format!("node `{}`: shapes do not broadcast", node_name(node)),
        )
    })?;
    let op = node.op_type.as_str();
    if let (T::C(a), T::C(c)) = (x, y) {
        let (a, c) = (
            expand(&T::C(a.clone()), &shape),
            expand(&T::C(c.clone()), &shape),
        );
        let r = Zip::from(&a).and(&c).map_collect(|&a, &c| match (a, c) {
            (E::C(a), E::C(c)) => float_op(op, a, c),
            _ => unreachable!(),
        });
        return Ok(T::C(r));
    }
    let (a, c) = (expand(x, &shape), expand(y, &shape));
    let mut out = ArrayD::zeros(IxDyn(&shape));
    for ((o, &l), &r) in out.iter_mut().zip(a.iter()).zip(c.iter()) {
        *o = elem(b, op, l, r).ok_or_else(|| {
            Error::new(
                ErrorCode::UnsupportedOp,
                format!(
                    "unsupported ONNX operator `{op}` at node `{}`: division by a variable",
                    node_name(node)
                ),
            )
        })?;
    }
    Ok(T::V(out))
}

fn float_op(op: &str, a: f64, c: f64) -> f64 {
    match op {
        "Add" => a + c,
        "Sub" => a - c,
        "Mul" => a * c,
        _ => a / c,
    }
}

fn elem(b: &mut ProgBuilder, op: &str, l: E, r: E) -> Option<usize> {
    let (st, sp) = (b.st, b.sp);
    Some(match (op, l, r) {
        ("Add" | "Sub", E::V(u), E::V(v)) => {
            let (su, sv) = (b.scale(u), b.scale(v));
            let s = su.max(sv);
            let sign = if op == "Sub" { -1 } else { 1 };
            b.dot(vec![(u, 1 << (s - su)), (v, sign << (s - sv))], 0, s)
        }
        ("Add" | "Sub", E::V(u), E::C(c)) => {
            let s = b.scale(u);
            let c = if op == "Sub" { -c } else { c };
            b.dot(vec![(u, 1)], q(c, s), s)
        }
        ("Add", E::C(c), E::V(u)) => b.dot(vec![(u, 1)], q(c, b.scale(u)), b.scale(u)),
        ("Sub", E::C(c), E::V(u)) => b.dot(vec![(u, -1)], q(c, b.scale(u)), b.scale(u)),
        ("Mul", E::V(u), E::V(v)) => b.mul(u, v),
        ("Mul", E::V(u), E::C(c)) | ("Mul", E::C(c), E::V(u)) => {
            let u = b.rescaled(u);
            b.dot(vec![(u, q(c, sp))], 0, st + sp)
        }
        ("Div", E::V(u), E::C(c)) => {
            let u = b.rescaled(u);
            b.dot(vec![(u, q(1.0 / c, sp))], 0, st + sp)
        }
        ("Div", E::V(u), E::V(v)) => {
            let r = reciprocal(b, v);
            b.mul(u, r)
        }
        ("Div", E::C(c), E::V(v)) => {
            let r = reciprocal(b, v);
            let r = b.rescaled(r);
            b.dot(vec![(r, q(c, sp))], 0, st + sp)
        }
        _ => return None,
    })
}

/// Newton refinements of the table's 1/x: each squares the relative error.
const RECIPROCAL_STEPS: usize = 2;

/// 1/x from the table, refined by [`RECIPROCAL_STEPS`] Newton steps r ← r·(2 − x·r)
/// (they converge wherever the table sample is within a factor 2 of 1/x, i.e. for
/// |x| above about one table step).
pub fn reciprocal(b: &mut ProgBuilder, x: usize) -> usize {
    let st = b.st;
    let x = b.rescaled(x);
    let mut r = b.act(x, ActKind::Lut(crate::ir::Lut::Reciprocal));
    for _ in 0..RECIPROCAL_STEPS {
        let xr = b.mul(x, r);
        let xr = b.rescaled(xr);
        let two_minus = b.dot(vec![(xr, -1)], q(2.0, st), st);
        let next = b.mul(r, two_minus);
        r = b.rescaled(next);
    }
    r
}

/// `Pow` with a constant exponent: small positive integers as products, ½ and −½ and
/// −1 through tables; anything else is unsupported.
pub fn pow(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let x = env.get(node, 0)?;
    let e = env.konst(node, 1)?;
    let Some(&p) = e.iter().next().filter(|_| e.len() == 1) else {
        return Err(Error::unsupported_op(
            "Pow (non-scalar exponent)",
            &node_name(node),
        ));
    };
    let ids = match x {
        T::C(c) => return Ok(T::C(c.mapv(|v| v.powf(p)))),
        T::V(ids) => ids,
    };
    let supported =
        p == 0.5 || p == -0.5 || p == -1.0 || (p.fract() == 0.0 && (1.0..=8.0).contains(&p));
    if !supported {
        return Err(Error::unsupported_op(
            &format!("Pow (exponent {p})"),
            &node_name(node),
        ));
    }
    Ok(T::V(ids.mapv(|id| {
        if p == 0.5 {
            super::norm::sqrt(b, id)
        } else if p == -0.5 {
            super::norm::rsqrt(b, id)
        } else if p == -1.0 {
            reciprocal(b, id)
        } else {
            let mut acc = b.rescaled(id);
            for _ in 1..p as usize {
                let m = b.mul(acc, id);
                acc = b.rescaled(m);
            }
            acc
        }
    })))
}

pub fn activation(
    b: &mut ProgBuilder,
    env: &Env,
    node: &NodeProto,
    kind: ActKind,
) -> Result<T, Error> {
    Ok(match env.get(node, 0)? {
        T::V(a) => T::V(a.mapv(|id| b.act(id, kind))),
        T::C(a) => T::C(a.mapv(|x| match kind {
            ActKind::Relu => x.max(0.0),
            ActKind::Lut(f) => f.eval(x),
            ActKind::Identity => x,
        })),
    })
}
