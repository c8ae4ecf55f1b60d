//! Element-wise activations. Piecewise-linear ones (Clip, LeakyRelu, HardSigmoid, Abs)
//! are exact combinations of ReLU blocks; smooth ones (Exp, Log, Reciprocal, Erf, Gelu)
//! are table lookups at the lookup scale (error ≈ |f'|·2^-(lookup_scale+1): steep ones
//! need a finer lookup scale, which `calibrate` chooses); Sqrt is x·(1/√x) refined by
//! Newton steps; HardSwish is x · HardSigmoid(x).

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_f, attr_s, node_name, Env};
use crate::error::Error;
use crate::ir::{ActKind, Lut, ValueId};
use tract_onnx::pb::NodeProto;

/// How one element is computed.
#[derive(Clone, Copy, Debug)]
enum Unary {
    Table(Lut),
    Clip(Option<f64>, Option<f64>),
    Leaky(f64),
    HardSigmoid(f64, f64),
    HardSwish,
    Abs,
    Neg,
    Sqrt,
}

impl Unary {
    fn float(self, x: f64) -> f64 {
        match self {
            Unary::Table(f) => f.eval(x),
            Unary::Clip(lo, hi) => {
                let x = lo.map_or(x, |l| x.max(l));
                hi.map_or(x, |h| x.min(h))
            }
            Unary::Leaky(a) => {
                if x >= 0.0 {
                    x
                } else {
                    a * x
                }
            }
            Unary::HardSigmoid(a, c) => (a * x + c).clamp(0.0, 1.0),
            Unary::HardSwish => x * (x / 6.0 + 0.5).clamp(0.0, 1.0),
            Unary::Abs => x.abs(),
            Unary::Neg => -x,
            Unary::Sqrt => x.max(0.0).sqrt(),
        }
    }
}

/// A scalar bound given as an optional constant input or attribute.
fn bound(env: &Env, node: &NodeProto, input: usize, attr: &str) -> Result<Option<f64>, Error> {
    match env.opt(node, input) {
        Some(T::C(c)) => Ok(c.iter().next().copied()),
        Some(T::V(_)) => Err(Error::unsupported_op(
            &format!("{} (variable {attr})", node.op_type),
            &node_name(node),
        )),
        None => Ok(node
            .get_attr_opt::<f32>(attr)
            .map_err(|e| crate::error::bad_model(e.to_string()))?
            .map(f64::from)),
    }
}

fn kind(env: &Env, node: &NodeProto) -> Result<Unary, Error> {
    Ok(match node.op_type.as_str() {
        "Exp" => Unary::Table(Lut::Exp),
        "Log" => Unary::Table(Lut::Log),
        "Sqrt" => Unary::Sqrt,
        "Reciprocal" => Unary::Table(Lut::Reciprocal),
        "Erf" => Unary::Table(Lut::Erf),
        "Gelu" => match attr_s(node, "approximate")?.as_deref() {
            None | Some("none") => Unary::Table(Lut::Gelu),
            Some("tanh") => Unary::Table(Lut::GeluTanh),
            Some(other) => {
                return Err(Error::unsupported_op(
                    &format!("Gelu (approximate={other})"),
                    &node_name(node),
                ))
            }
        },
        "Clip" => {
            let (lo, hi) = (bound(env, node, 1, "min")?, bound(env, node, 2, "max")?);
            if let (Some(l), Some(h)) = (lo, hi) {
                if l > h {
                    return Err(Error::unsupported_op("Clip (min > max)", &node_name(node)));
                }
            }
            Unary::Clip(lo, hi)
        }
        "LeakyRelu" => Unary::Leaky(f64::from(attr_f(node, "alpha", 0.01)?)),
        "HardSigmoid" => Unary::HardSigmoid(
            f64::from(attr_f(node, "alpha", 0.2)?),
            f64::from(attr_f(node, "beta", 0.5)?),
        ),
        "HardSwish" => Unary::HardSwish,
        "Abs" => Unary::Abs,
        "Neg" => Unary::Neg,
        other => return Err(Error::unsupported_op(other, &node_name(node))),
    })
}

/// Lowers a unary element-wise op.
pub fn unary(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let k = kind(env, node)?;
    Ok(match env.get(node, 0)? {
        T::C(a) => T::C(a.mapv(|x| k.float(x))),
        T::V(a) => T::V(a.mapv(|id| element(b, k, id))),
    })
}

/// relu(x − c) at the working scale, exactly: c is quantized at the working scale and
/// shifted to x's scale, so the rescale rounds x alone.
pub fn relu_minus(b: &mut ProgBuilder, x: ValueId, c: f64) -> ValueId {
    let s = b.scale(x);
    let shift = s - b.st;
    let cq = q(c, b.st) << shift;
    let z = if cq == 0 {
        x
    } else {
        b.dot(vec![(x, 1)], -cq, s)
    };
    b.act(z, ActKind::Relu)
}

/// clip(x, lo, hi) = lo + relu(x − lo) − relu(x − hi) (one-sided forms for one bound).
fn clip(b: &mut ProgBuilder, x: ValueId, lo: Option<f64>, hi: Option<f64>) -> ValueId {
    let st = b.st;
    match (lo, hi) {
        (Some(l), Some(h)) => {
            let a = relu_minus(b, x, l);
            let c = relu_minus(b, x, h);
            b.dot(vec![(a, 1), (c, -1)], q(l, st), st)
        }
        (Some(l), None) => {
            let a = relu_minus(b, x, l);
            b.dot(vec![(a, 1)], q(l, st), st)
        }
        // hi − relu(hi − x) = min(x, hi).
        (None, Some(h)) => {
            let s = b.scale(x);
            let hq = q(h, st) << (s - st);
            let z = b.dot(vec![(x, -1)], hq, s);
            let r = b.act(z, ActKind::Relu);
            b.dot(vec![(r, -1)], q(h, st), st)
        }
        (None, None) => b.rescaled(x),
    }
}

fn element(b: &mut ProgBuilder, k: Unary, x: ValueId) -> ValueId {
    let (st, sp) = (b.st, b.sp);
    match k {
        Unary::Table(f) => b.act(x, ActKind::Lut(f)),
        Unary::Clip(lo, hi) => clip(b, x, lo, hi),
        // alpha·x + (1 − alpha)·relu(x).
        Unary::Leaky(alpha) => {
            let r = b.act(x, ActKind::Relu);
            let xr = b.rescaled(x);
            b.dot(
                vec![(xr, q(alpha, sp)), (r, q(1.0 - alpha, sp))],
                0,
                st + sp,
            )
        }
        Unary::HardSigmoid(alpha, beta) => hard_sigmoid(b, x, alpha, beta),
        Unary::HardSwish => {
            let h = hard_sigmoid(b, x, 1.0 / 6.0, 0.5);
            b.mul(x, h)
        }
        // 2·relu(x) − x.
        Unary::Abs => {
            let r = b.act(x, ActKind::Relu);
            let xr = b.rescaled(x);
            b.dot(vec![(r, 2), (xr, -1)], 0, st)
        }
        Unary::Sqrt => super::norm::sqrt(b, x),
        Unary::Neg => {
            let s = b.scale(x);
            b.dot(vec![(x, -1)], 0, s)
        }
    }
}

/// clip(alpha·x + beta, 0, 1).
fn hard_sigmoid(b: &mut ProgBuilder, x: ValueId, alpha: f64, beta: f64) -> ValueId {
    let (st, sp) = (b.st, b.sp);
    let xr = b.rescaled(x);
    let z = b.dot(vec![(xr, q(alpha, sp))], q(beta, st + sp), st + sp);
    clip(b, z, Some(0.0), Some(1.0))
}
