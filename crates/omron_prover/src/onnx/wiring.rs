//! Pure wiring ops: they only move value ids (or fold constants), no constraints.

use super::prog::ProgBuilder;
use super::tensor::{from_proto, T};
use super::{attr_f, attr_i, attr_ints, attr_s, node_name, Env};
use crate::error::{bad_model, Error, ErrorCode};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{concatenate, ArrayD, Axis, IxDyn, Slice};

#[derive(Clone, Copy, Debug)]
enum E {
    C(f64),
    V(usize),
}

fn to_e(t: &T) -> ArrayD<E> {
    match t {
        T::C(a) => a.mapv(E::C),
        T::V(a) => a.mapv(E::V),
    }
}

fn from_e(b: &mut ProgBuilder, a: ArrayD<E>) -> T {
    if a.iter().all(|e| matches!(e, E::C(_))) {
        return T::C(a.mapv(|e| if let E::C(x) = e { x } else { 0.0 }));
    }
    T::V(a.mapv(|e| match e {
        E::V(id) => id,
        E::C(x) => b.constant(x),
    }))
}

fn shape_err(node: &NodeProto, what: &str) -> Error {
    Error::new(
        ErrorCode::ShapeMismatch,
        format!("node `{}` ({}): {what}", node_name(node), node.op_type),
    )
}

fn axis(a: i64, rank: usize, node: &NodeProto) -> Result<usize, Error> {
    let r = if a < 0 { a + rank as i64 } else { a };
    if r < 0 || r as usize > rank {
        return Err(shape_err(node, "axis out of range"));
    }
    Ok(r as usize)
}

fn ints(env: &Env, node: &NodeProto, input: usize, attr: &str) -> Result<Option<Vec<i64>>, Error> {
    if let Some(T::C(c)) = env.opt(node, input) {
        return Ok(Some(c.iter().map(|&x| x as i64).collect()));
    }
    attr_ints(node, attr)
}

pub fn constant(node: &NodeProto) -> Result<T, Error> {
    let value = node
        .attribute
        .iter()
        .find(|a| a.name == "value")
        .and_then(|a| a.t.as_ref())
        .ok_or_else(|| Error::unsupported_op("Constant (non-tensor value)", &node_name(node)))?;
    Ok(T::C(from_proto(value)?))
}

fn reshape_to(a: ArrayD<E>, shape: &[usize], node: &NodeProto) -> Result<ArrayD<E>, Error> {
    let v: Vec<E> = a.iter().copied().collect();
    ArrayD::from_shape_vec(IxDyn(shape), v).map_err(|_| shape_err(node, "element count changes"))
}

pub fn lower(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let x = env.get(node, 0)?;
    let a = to_e(x);
    let shape = a.shape().to_vec();
    let rank = shape.len();
    let out = match node.op_type.as_str() {
        "Shape" => {
            return Ok(T::C(
                ArrayD::from_shape_vec(IxDyn(&[rank]), shape.iter().map(|&d| d as f64).collect())
                    .expect("1-D"),
            ))
        }
        "Reshape" => {
            let spec =
                ints(env, node, 1, "shape")?.ok_or_else(|| bad_model("Reshape without a shape"))?;
            let mut dims: Vec<i64> = spec
                .iter()
                .enumerate()
                .map(|(i, &d)| {
                    if d == 0 {
                        shape.get(i).copied().unwrap_or(0) as i64
                    } else {
                        d
                    }
                })
                .collect();
            let known: i64 = dims.iter().filter(|&&d| d > 0).product();
            if let Some(p) = dims.iter().position(|&d| d == -1) {
                dims[p] = a.len() as i64 / known.max(1);
            }
            reshape_to(
                a,
                &dims.iter().map(|&d| d.max(0) as usize).collect::<Vec<_>>(),
                node,
            )?
        }
        "Flatten" => {
            let ax = axis(attr_i(node, "axis", 1)?, rank, node)?;
            let outer: usize = shape[..ax].iter().product();
            reshape_to(a.clone(), &[outer, a.len() / outer.max(1)], node)?
        }
        "Squeeze" => {
            let axes = ints(env, node, 1, "axes")?;
            let keep: Vec<usize> = match axes {
                Some(ax) => {
                    let ax: Vec<usize> = ax
                        .iter()
                        .map(|&x| axis(x, rank, node))
                        .collect::<Result<_, _>>()?;
                    shape
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !ax.contains(i))
                        .map(|(_, &d)| d)
                        .collect()
                }
                None => shape.iter().copied().filter(|&d| d != 1).collect(),
            };
            reshape_to(a, &keep, node)?
        }
        "Unsqueeze" => {
            let ax =
                ints(env, node, 1, "axes")?.ok_or_else(|| bad_model("Unsqueeze without axes"))?;
            let out_rank = rank + ax.len();
            let mut ax: Vec<usize> = ax
                .iter()
                .map(|&x| axis(x, out_rank - 1, node).map(|v| if x < 0 { v + 1 } else { v }))
                .collect::<Result<_, _>>()?;
            ax.sort_unstable();
            let mut dims = shape.clone();
            for p in ax {
                dims.insert(p.min(dims.len()), 1);
            }
            reshape_to(a, &dims, node)?
        }
        "Transpose" => {
            let perm: Vec<usize> = match attr_ints(node, "perm")? {
                Some(p) => p.iter().map(|&x| x as usize).collect(),
                None => (0..rank).rev().collect(),
            };
            if perm.len() != rank || perm.iter().any(|&p| p >= rank) {
                return Err(shape_err(node, "bad permutation"));
            }
            a.permuted_axes(IxDyn(&perm))
                .as_standard_layout()
                .to_owned()
        }
        "Slice" => slice(env, node, a)?,
        "Pad" => pad(env, node, a)?,
        "Concat" => {
            let ax = axis(attr_i(node, "axis", 0)?, rank, node)?;
            let parts: Vec<ArrayD<E>> = (0..node.input.len())
                .map(|i| env.get(node, i).map(to_e))
                .collect::<Result<_, _>>()?;
            let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
            concatenate(Axis(ax), &views)
                .map_err(|_| shape_err(node, "inputs do not concatenate"))?
        }
        "Gather" => {
            let ax = axis(attr_i(node, "axis", 0)?, rank, node)?;
            let idx = env.konst(node, 1)?;
            let n = shape[ax] as i64;
            let flat: Vec<usize> = idx
                .iter()
                .map(|&i| {
                    let i = i as i64;
                    let i = if i < 0 { i + n } else { i };
                    if i < 0 || i >= n {
                        Err(shape_err(node, "index out of range"))
                    } else {
                        Ok(i as usize)
                    }
                })
                .collect::<Result<_, _>>()?;
            let picked = a.select(Axis(ax), &flat);
            let mut dims = shape[..ax].to_vec();
            dims.extend_from_slice(idx.shape());
            dims.extend_from_slice(&shape[ax + 1..]);
            reshape_to(picked.as_standard_layout().to_owned(), &dims, node)?
        }
        other => return Err(Error::unsupported_op(other, &node_name(node))),
    };
    Ok(from_e(b, out))
}

/// `Split` along an axis (sizes from the `split` input/attribute, else `num_outputs` or
/// the node's output count, the last part taking the remainder): pure wiring.
pub fn split(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<Vec<T>, Error> {
    let a = to_e(env.get(node, 0)?);
    let rank = a.ndim();
    let ax = axis(attr_i(node, "axis", 0)?, rank.saturating_sub(1), node)?;
    let n = a.shape()[ax];
    let parts = node.output.len();
    let sizes: Vec<usize> = match ints(env, node, 1, "split")? {
        Some(s) => s.iter().map(|&v| v.max(0) as usize).collect(),
        None => {
            let k = attr_i(node, "num_outputs", parts as i64)?.max(1) as usize;
            let chunk = n.div_ceil(k);
            (0..k)
                .map(|i| chunk.min(n.saturating_sub(i * chunk)))
                .collect()
        }
    };
    if sizes.iter().sum::<usize>() != n || sizes.len() != parts {
        return Err(shape_err(
            node,
            "split sizes do not match the axis or the outputs",
        ));
    }
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for len in sizes {
        let piece = a
            .slice_axis(Axis(ax), Slice::from(start..start + len))
            .to_owned();
        out.push(from_e(b, piece));
        start += len;
    }
    Ok(out)
}

/// Source index along one axis of output index `i` (`None`: the padding constant).
fn pad_source(i: i64, begin: i64, n: i64, mode: &str) -> Option<usize> {
    let j = i - begin;
    if (0..n).contains(&j) {
        return Some(j as usize);
    }
    match mode {
        "edge" => Some(j.clamp(0, n - 1) as usize),
        // Mirror without repeating the edge: -1 → 1, n → n-2 (pads < n, checked).
        "reflect" => Some(if j < 0 { -j } else { 2 * (n - 1) - j } as usize),
        _ => None,
    }
}

/// `Pad` (constant, edge or reflect; negative pads crop): pure wiring on the fixed shape,
/// the constant becomes one shared constant value.
fn pad(env: &Env, node: &NodeProto, a: ArrayD<E>) -> Result<ArrayD<E>, Error> {
    let rank = a.ndim();
    let shape = a.shape().to_vec();
    let mode = attr_s(node, "mode")?.unwrap_or_else(|| "constant".into());
    if !matches!(mode.as_str(), "constant" | "edge" | "reflect") {
        return Err(Error::unsupported_op(
            &format!("Pad (mode {mode})"),
            &node_name(node),
        ));
    }
    let spec = ints(env, node, 1, "pads")?.ok_or_else(|| bad_model("Pad without pads"))?;
    let value = match env.opt(node, 2) {
        Some(T::C(c)) => c.iter().next().copied().unwrap_or(0.0),
        Some(T::V(_)) => {
            return Err(Error::unsupported_op(
                "Pad (variable constant_value)",
                &node_name(node),
            ))
        }
        None => f64::from(attr_f(node, "value", 0.0)?),
    };
    let axes: Vec<usize> = match ints(env, node, 3, "axes")? {
        Some(ax) => ax
            .iter()
            .map(|&x| axis(x, rank - 1, node))
            .collect::<Result<_, _>>()?,
        None => (0..rank).collect(),
    };
    if spec.len() != 2 * axes.len() {
        return Err(shape_err(
            node,
            "pads must list a begin and an end per axis",
        ));
    }
    let (mut begin, mut end) = (vec![0i64; rank], vec![0i64; rank]);
    for (k, &ax) in axes.iter().enumerate() {
        begin[ax] = spec[k];
        end[ax] = spec[k + axes.len()];
    }
    let mut out_shape = Vec::with_capacity(rank);
    for ax in 0..rank {
        let n = shape[ax] as i64;
        let o = n + begin[ax] + end[ax];
        if o < 0 || (n == 0 && o > 0) {
            return Err(shape_err(node, "pads crop below zero or pad an empty axis"));
        }
        if mode == "reflect" && (begin[ax] >= n || end[ax] >= n) {
            return Err(shape_err(
                node,
                "reflect pads must be smaller than the axis",
            ));
        }
        out_shape.push(o as usize);
    }
    let fill = E::C(value);
    Ok(ArrayD::from_shape_fn(IxDyn(&out_shape), |idx| {
        let mut src = Vec::with_capacity(rank);
        for ax in 0..rank {
            match pad_source(idx[ax] as i64, begin[ax], shape[ax] as i64, &mode) {
                Some(j) => src.push(j),
                None => return fill,
            }
        }
        a[IxDyn(&src)]
    }))
}

fn slice(env: &Env, node: &NodeProto, mut a: ArrayD<E>) -> Result<ArrayD<E>, Error> {
    let rank = a.ndim();
    let starts = ints(env, node, 1, "starts")?.ok_or_else(|| bad_model("Slice without starts"))?;
    let ends = ints(env, node, 2, "ends")?.ok_or_else(|| bad_model("Slice without ends"))?;
    let axes = ints(env, node, 3, "axes")?.unwrap_or_else(|| (0..starts.len() as i64).collect());
    let steps = ints(env, node, 4, "steps")?.unwrap_or_else(|| vec![1; starts.len()]);
    for i in 0..starts.len() {
        let ax = axis(
            *axes
                .get(i)
                .ok_or_else(|| shape_err(node, "axes too short"))?,
            rank,
            node,
        )?;
        let n = a.shape()[ax] as i64;
        let step = *steps.get(i).unwrap_or(&1);
        if step <= 0 {
            return Err(Error::unsupported_op(
                "Slice (non-positive step)",
                &node_name(node),
            ));
        }
        let clamp = |v: i64| (if v < 0 { v + n } else { v }).clamp(0, n);
        let (s, e) = (clamp(starts[i]), clamp(ends[i]));
        let e = e.max(s);
        a = a
            .slice_axis(
                Axis(ax),
                Slice::new(s as isize, Some(e as isize), step as isize),
            )
            .to_owned();
    }
    Ok(a)
}
