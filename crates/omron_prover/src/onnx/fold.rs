//! Shape arithmetic folded at compile time: every model input has a fixed shape, so
//! `ConstantOfShape`, `Range`, `Cast` of constants, and the `Equal`/`Where` chains some
//! exporters write around them are plain constant computations. `Expand` and `Cast` of
//! a variable tensor are wiring (a float cast is the identity on fixed-point values).

use super::tensor::{from_proto, T};
use super::{node_name, Env};
use crate::error::{bad_model, Error, ErrorCode};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

fn shape_err(node: &NodeProto, what: &str) -> Error {
    Error::new(
        ErrorCode::ShapeMismatch,
        format!("node `{}` ({}): {what}", node_name(node), node.op_type),
    )
}

fn dims(c: &ArrayD<f64>, node: &NodeProto) -> Result<Vec<usize>, Error> {
    c.iter()
        .map(|&d| {
            if d >= 0.0 && d.fract() == 0.0 {
                Ok(d as usize)
            } else {
                Err(shape_err(node, "negative or fractional dimension"))
            }
        })
        .collect()
}

/// Broadcast of `a` against `b` (numpy rules), or `None`.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            let da = if i + a.len() >= n {
                a[i + a.len() - n]
            } else {
                1
            };
            let db = if i + b.len() >= n {
                b[i + b.len() - n]
            } else {
                1
            };
            match (da, db) {
                (x, y) if x == y => Some(x),
                (1, y) => Some(y),
                (x, 1) => Some(x),
                _ => None,
            }
        })
        .collect()
}

/// ONNX integer and boolean element types: a cast to them truncates (or tests ≠ 0).
fn cast_value(to: i64, x: f64) -> f64 {
    match to {
        // bool
        9 => f64::from(u8::from(x != 0.0)),
        // int8..int64, uint8..uint64
        2..=7 | 12 | 13 => x.trunc(),
        _ => x,
    }
}

pub fn fold(env: &Env, node: &NodeProto) -> Result<T, Error> {
    match node.op_type.as_str() {
        "ConstantOfShape" => {
            let shape = dims(env.konst(node, 0)?, node)?;
            let value = match node.attribute.iter().find(|a| a.name == "value") {
                Some(a) => {
                    let t =
                        a.t.as_ref()
                            .ok_or_else(|| bad_model("ConstantOfShape value is not a tensor"))?;
                    from_proto(t)?.iter().next().copied().unwrap_or(0.0)
                }
                None => 0.0,
            };
            Ok(T::C(ArrayD::from_elem(IxDyn(&shape), value)))
        }
        "Range" => {
            let s = |i| -> Result<f64, Error> {
                env.konst(node, i)?
                    .iter()
                    .next()
                    .copied()
                    .ok_or_else(|| shape_err(node, "empty scalar"))
            };
            let (start, limit, delta) = (s(0)?, s(1)?, s(2)?);
            if delta == 0.0 {
                return Err(shape_err(node, "zero delta"));
            }
            let n = ((limit - start) / delta).ceil().max(0.0) as usize;
            Ok(T::C(
                ArrayD::from_shape_vec(
                    IxDyn(&[n]),
                    (0..n).map(|i| start + i as f64 * delta).collect(),
                )
                .expect("1-D"),
            ))
        }
        "Cast" | "CastLike" => {
            let to = if node.op_type == "Cast" {
                super::attr_i(node, "to", 1)?
            } else {
                1
            };
            match env.get(node, 0)? {
                T::C(c) => Ok(T::C(c.mapv(|x| cast_value(to, x)))),
                T::V(v) if matches!(to, 1 | 10 | 11 | 16) => Ok(T::V(v.clone())),
                T::V(_) => Err(Error::unsupported_op(
                    &format!("Cast (to={to} of a variable tensor)"),
                    &node_name(node),
                )),
            }
        }
        "Expand" => {
            let target = dims(env.konst(node, 1)?, node)?;
            let x = env.get(node, 0)?;
            let shape = broadcast_shape(&x.shape(), &target)
                .ok_or_else(|| shape_err(node, "shape does not broadcast"))?;
            Ok(match x {
                T::C(c) => T::C(c.broadcast(IxDyn(&shape)).expect("broadcast").to_owned()),
                T::V(v) => T::V(v.broadcast(IxDyn(&shape)).expect("broadcast").to_owned()),
            })
        }
        "Equal" | "Less" | "Greater" | "Where" | "Not" | "Floor" | "Ceil" | "Round" | "Min"
        | "Max" | "Mod" => fold_constant(env, node),
        other => Err(Error::unsupported_op(other, &node_name(node))),
    }
}

/// Comparisons, selection and rounding on constant tensors only.
fn fold_constant(env: &Env, node: &NodeProto) -> Result<T, Error> {
    let mut args = Vec::new();
    for i in 0..node.input.len() {
        match env.get(node, i)? {
            T::C(c) => args.push(c.clone()),
            T::V(_) => {
                return Err(Error::unsupported_op(
                    &format!("{} (of a variable tensor)", node.op_type),
                    &node_name(node),
                ))
            }
        }
    }
    let mut shape: Vec<usize> = Vec::new();
    for a in &args {
        shape = broadcast_shape(&shape, a.shape())
            .ok_or_else(|| shape_err(node, "inputs do not broadcast"))?;
    }
    let views: Vec<_> = args
        .iter()
        .map(|a| a.broadcast(IxDyn(&shape)).expect("broadcast"))
        .collect();
    let op = node.op_type.as_str();
    let out = ArrayD::from_shape_fn(IxDyn(&shape), |idx| {
        let v: Vec<f64> = views.iter().map(|a| a[&idx]).collect();
        let b = |c: bool| f64::from(u8::from(c));
        match op {
            "Equal" => b(v[0] == v[1]),
            "Less" => b(v[0] < v[1]),
            "Greater" => b(v[0] > v[1]),
            "Where" => {
                if v[0] != 0.0 {
                    v[1]
                } else {
                    v[2]
                }
            }
            "Not" => b(v[0] == 0.0),
            "Floor" => v[0].floor(),
            "Ceil" => v[0].ceil(),
            "Round" => {
                let r = v[0].round();
                // Round half to even, as ONNX specifies.
                if (v[0] - v[0].trunc()).abs() == 0.5 {
                    2.0 * (v[0] / 2.0).round()
                } else {
                    r
                }
            }
            "Min" => v.iter().copied().fold(f64::INFINITY, f64::min),
            "Max" => v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            _ => v[0] - v[1] * (v[0] / v[1]).floor(),
        }
    });
    Ok(T::C(out))
}
