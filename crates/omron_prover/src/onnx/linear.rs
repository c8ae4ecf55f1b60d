//! Gemm, MatMul, Conv and BatchNormalization: dot products with constant weights.

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_f, attr_i, attr_ints, node_name, Env};
use crate::error::{Error, ErrorCode};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{Array2, ArrayD, Axis, Ix2, IxDyn};

fn shape_err(node: &NodeProto, what: &str) -> Error {
    Error::new(
        ErrorCode::ShapeMismatch,
        format!("node `{}` ({}): {what}", node_name(node), node.op_type),
    )
}

fn two_vars(node: &NodeProto) -> Error {
    Error::new(
        ErrorCode::UnsupportedOp,
        format!(
            "unsupported ONNX operator `{}` at node `{}`: products of two variable tensors",
            node.op_type,
            node_name(node)
        ),
    )
}

/// rows × (K) variables times a K × N constant matrix plus bias[N] (real units).
fn dense(
    b: &mut ProgBuilder,
    x: &Array2<usize>,
    w: &Array2<f64>,
    bias: &Array2<f64>,
) -> Array2<usize> {
    let (m, k) = x.dim();
    let n = w.dim().1;
    let (st, sp) = (b.st, b.sp);
    let mut out = Array2::zeros((m, n));
    // Rows share the weights: one challenge-checked layer when the bias is the same on
    // every row (it is per output column) and that is cheaper.
    let shared_bias = (0..m).all(|i| bias.row(i) == bias.row(0));
    if m > 1 && shared_bias && b.checks(n, k, m) {
        let weights = (0..n)
            .map(|j| (0..k).map(|kk| q(w[[kk, j]], sp)).collect())
            .collect();
        let bq = (0..n).map(|j| q(bias[[0, j]], st + sp)).collect();
        let l = b.linear_begin(weights, bq, m);
        for i in 0..m {
            let xs: Vec<Option<usize>> = (0..k).map(|kk| Some(x[[i, kk]])).collect();
            for (j, y) in b.linear_position(l, i, &xs).into_iter().enumerate() {
                out[[i, j]] = y;
            }
        }
        return out;
    }
    for i in 0..m {
        let xs: Vec<usize> = (0..k).map(|kk| b.rescaled(x[[i, kk]])).collect();
        for j in 0..n {
            let terms: Vec<(usize, i64)> = (0..k)
                .map(|kk| (xs[kk], q(w[[kk, j]], sp)))
                .filter(|t| t.1 != 0)
                .collect();
            out[[i, j]] = b.dot(terms, q(bias[[i, j]], st + sp), st + sp);
        }
    }
    out
}

fn to2(a: &ArrayD<f64>, node: &NodeProto) -> Result<Array2<f64>, Error> {
    a.clone()
        .into_dimensionality::<Ix2>()
        .map_err(|_| shape_err(node, "expected a matrix"))
}

pub fn gemm(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let (alpha, beta) = (
        f64::from(attr_f(node, "alpha", 1.0)?),
        f64::from(attr_f(node, "beta", 1.0)?),
    );
    let (ta, tb) = (
        attr_i(node, "transA", 0)? != 0,
        attr_i(node, "transB", 0)? != 0,
    );
    let T::V(a) = env.get(node, 0)? else {
        return Err(two_vars(node));
    };
    let a = a
        .clone()
        .into_dimensionality::<Ix2>()
        .map_err(|_| shape_err(node, "A must be 2-D"))?;
    let a = if ta { a.reversed_axes() } else { a };
    let w = to2(env.konst(node, 1).map_err(|_| two_vars(node))?, node)?;
    let w = if tb { w.reversed_axes() } else { w } * alpha;
    if a.dim().1 != w.dim().0 {
        return Err(shape_err(node, "inner dimensions differ"));
    }
    let (m, n) = (a.dim().0, w.dim().1);
    let bias = match env.opt(node, 2) {
        Some(T::C(c)) => {
            c.broadcast(IxDyn(&[m, n]))
                .ok_or_else(|| shape_err(node, "bias does not broadcast"))?
                .to_owned()
                .into_dimensionality::<Ix2>()
                .expect("2-D")
                * beta
        }
        Some(T::V(_)) => return Err(two_vars(node)),
        None => Array2::zeros((m, n)),
    };
    Ok(T::V(
        dense(b, &a.to_owned(), &w.to_owned(), &bias).into_dyn(),
    ))
}

pub fn matmul(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let T::V(a) = env.get(node, 0)? else {
        return Err(two_vars(node));
    };
    let w = to2(env.konst(node, 1).map_err(|_| two_vars(node))?, node)?;
    let k = *a
        .shape()
        .last()
        .ok_or_else(|| shape_err(node, "A is a scalar"))?;
    if k != w.dim().0 {
        return Err(shape_err(node, "inner dimensions differ"));
    }
    let rows = a.len() / k.max(1);
    let x = Array2::from_shape_vec((rows, k), a.iter().copied().collect()).expect("shape");
    let out = dense(b, &x, &w, &Array2::zeros((rows, w.dim().1)));
    let mut shape = a.shape()[..a.ndim() - 1].to_vec();
    shape.push(w.dim().1);
    Ok(T::V(
        ArrayD::from_shape_vec(IxDyn(&shape), out.into_raw_vec_and_offset().0).expect("shape"),
    ))
}

pub fn conv(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let T::V(x) = env.get(node, 0)? else {
        return Err(two_vars(node));
    };
    let w = env.konst(node, 1).map_err(|_| two_vars(node))?;
    if x.ndim() != 4 || w.ndim() != 4 || x.shape()[0] != 1 {
        return Err(Error::unsupported_op(
            "Conv (only 2-D, batch 1)",
            &node_name(node),
        ));
    }
    let (c, h, wd) = (x.shape()[1], x.shape()[2], x.shape()[3]);
    let (m, cg, kh, kw) = (w.shape()[0], w.shape()[1], w.shape()[2], w.shape()[3]);
    let group = attr_i(node, "group", 1)? as usize;
    let strides = attr_ints(node, "strides")?.unwrap_or(vec![1, 1]);
    let dil = attr_ints(node, "dilations")?.unwrap_or(vec![1, 1]);
    let pads = attr_ints(node, "pads")?.unwrap_or(vec![0, 0, 0, 0]);
    if group == 0
        || c != cg * group
        || m % group != 0
        || strides.len() != 2
        || pads.len() != 4
        || dil.len() != 2
    {
        return Err(shape_err(
            node,
            "inconsistent channels, strides, dilations or pads",
        ));
    }
    let (sh, sw, dh, dw) = (strides[0], strides[1], dil[0], dil[1]);
    if sh < 1 || sw < 1 || dh < 1 || dw < 1 {
        return Err(shape_err(node, "non-positive strides or dilations"));
    }
    let k_eff = [dh * (kh as i64 - 1) + 1, dw * (kw as i64 - 1) + 1];
    let pads = super::pool::auto_pads(node, [h as i64, wd as i64], k_eff, &strides, pads)?;
    let (pt, pl) = (pads[0], pads[1]);
    let oh = (h as i64 + pads[0] + pads[2] - dh * (kh as i64 - 1) - 1) / sh + 1;
    let ow = (wd as i64 + pads[1] + pads[3] - dw * (kw as i64 - 1) - 1) / sw + 1;
    if oh <= 0 || ow <= 0 {
        return Err(shape_err(node, "empty output"));
    }
    let bias = match env.opt(node, 2) {
        Some(T::C(bv)) => bv.iter().copied().collect::<Vec<_>>(),
        Some(T::V(_)) => return Err(two_vars(node)),
        None => vec![0.0; m],
    };
    let (st, sp) = (b.st, b.sp);
    let xs = x.mapv(|id| b.rescaled(id));
    let (oh, ow) = (oh as usize, ow as usize);
    let mut out = ArrayD::zeros(IxDyn(&[1, m, oh, ow]));
    let per_group = m / group;
    // Input element feeding kernel tap (ci, ky, kx) at output (oy, ox); None in padding.
    let tap = |g: usize, ci: usize, ky: usize, kx: usize, oy: usize, ox: usize| {
        let iy = oy as i64 * sh - pt + ky as i64 * dh;
        let ix = ox as i64 * sw - pl + kx as i64 * dw;
        if iy < 0 || ix < 0 || iy >= h as i64 || ix >= wd as i64 {
            None
        } else {
            Some(xs[[0, g * cg + ci, iy as usize, ix as usize]])
        }
    };
    let kernel = cg * kh * kw;
    for g in 0..group {
        let outs = g * per_group..(g + 1) * per_group;
        if b.checks(per_group, kernel, oh * ow) {
            // The kernel is reused at every output position: check the whole group with
            // challenges instead of one term per multiply-add.
            let weights = outs
                .clone()
                .map(|o| {
                    let mut row = Vec::with_capacity(kernel);
                    for ci in 0..cg {
                        for ky in 0..kh {
                            for kx in 0..kw {
                                row.push(q(w[[o, ci, ky, kx]], sp));
                            }
                        }
                    }
                    row
                })
                .collect();
            let bq = outs.clone().map(|o| q(bias[o], st + sp)).collect();
            let l = b.linear_begin(weights, bq, oh * ow);
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut col = Vec::with_capacity(kernel);
                    for ci in 0..cg {
                        for ky in 0..kh {
                            for kx in 0..kw {
                                col.push(tap(g, ci, ky, kx, oy, ox));
                            }
                        }
                    }
                    let ys = b.linear_position(l, oy * ow + ox, &col);
                    for (o, y) in outs.clone().zip(ys) {
                        out[[0, o, oy, ox]] = y;
                    }
                }
            }
            continue;
        }
        for o in outs {
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut terms = Vec::new();
                    for ci in 0..cg {
                        for ky in 0..kh {
                            for kx in 0..kw {
                                let wq = q(w[[o, ci, ky, kx]], sp);
                                if let (Some(id), true) = (tap(g, ci, ky, kx, oy, ox), wq != 0) {
                                    terms.push((id, wq));
                                }
                            }
                        }
                    }
                    out[[0, o, oy, ox]] = b.dot(terms, q(bias[o], st + sp), st + sp);
                }
            }
        }
    }
    Ok(T::V(out))
}

pub fn batch_norm(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let T::V(x) = env.get(node, 0)? else {
        return Err(two_vars(node));
    };
    let eps = f64::from(attr_f(node, "epsilon", 1e-5)?);
    let p: Vec<Vec<f64>> = (1..5)
        .map(|i| env.konst(node, i).map(|a| a.iter().copied().collect()))
        .collect::<Result<_, _>>()?;
    let c = x.shape().get(1).copied().unwrap_or(0);
    if p.iter().any(|v| v.len() != c) {
        return Err(shape_err(node, "parameters do not match the channel count"));
    }
    let (st, sp) = (b.st, b.sp);
    let mut out = x.clone();
    for (ch, mut lane) in out.axis_iter_mut(Axis(1)).enumerate() {
        let a = p[0][ch] / (p[3][ch] + eps).sqrt();
        let shift = p[1][ch] - p[2][ch] * a;
        for id in lane.iter_mut() {
            let xi = b.rescaled(*id);
            *id = b.dot(vec![(xi, q(a, sp))], q(shift, st + sp), st + sp);
        }
    }
    Ok(T::V(out))
}

/// Folds every BatchNormalization that directly follows a Conv (whose output nothing
/// else reads) into the Conv's weights and bias: W'[o] = a_o·W[o], b'[o] = a_o·b[o] +
/// shift_o with a = scale/√(var+ε), shift = B − mean·a. Saves one requantization per
/// element. Returns the rewritten node list; new constants are added to `env`.
pub fn fuse_conv_batch_norm(
    nodes: &[NodeProto],
    graph_outputs: &[String],
    env: &mut Env,
) -> Result<Vec<NodeProto>, Error> {
    let mut readers: std::collections::HashMap<&str, usize> = Default::default();
    for n in nodes {
        for i in &n.input {
            *readers.entry(i.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<Option<NodeProto>> = nodes.iter().cloned().map(Some).collect();
    for i in 0..nodes.len() {
        let bn = &nodes[i];
        if bn.op_type != "BatchNormalization" || bn.output.len() != 1 || bn.input.len() != 5 {
            continue;
        }
        let x = &bn.input[0];
        let Some(j) =
            (0..i).find(|&j| nodes[j].op_type == "Conv" && nodes[j].output.first() == Some(x))
        else {
            continue;
        };
        if readers.get(x.as_str()) != Some(&1) || graph_outputs.contains(x) {
            continue;
        }
        let conv = out[j].clone().expect("not removed");
        let (Ok(w), Ok(params)) = (
            env.konst(&conv, 1).cloned(),
            (1..5)
                .map(|k| {
                    env.konst(bn, k)
                        .map(|a| a.iter().copied().collect::<Vec<f64>>())
                })
                .collect::<Result<Vec<_>, _>>(),
        ) else {
            continue;
        };
        let m = w.shape()[0];
        if params.iter().any(|p| p.len() != m) {
            continue;
        }
        let bias: Vec<f64> = match env.opt(&conv, 2) {
            Some(T::C(c)) if c.len() == m => c.iter().copied().collect(),
            Some(_) => continue,
            None => vec![0.0; m],
        };
        let eps = f64::from(attr_f(bn, "epsilon", 1e-5)?);
        let mut w2 = w.clone();
        let mut b2 = Vec::with_capacity(m);
        for o in 0..m {
            let a = params[0][o] / (params[3][o] + eps).sqrt();
            w2.index_axis_mut(Axis(0), o).mapv_inplace(|v| v * a);
            b2.push(bias[o] * a + params[1][o] - params[2][o] * a);
        }
        let (wn, bn_name) = (
            format!("{}::fused_bn_w", conv.output[0]),
            format!("{}::fused_bn_b", conv.output[0]),
        );
        env.tensors.insert(wn.clone(), T::C(w2));
        env.tensors.insert(
            bn_name.clone(),
            T::C(ArrayD::from_shape_vec(IxDyn(&[m]), b2).expect("shape")),
        );
        let mut fused = conv;
        fused.input.truncate(1);
        fused.input.push(wn);
        fused.input.push(bn_name);
        fused.output = bn.output.clone();
        out[j] = Some(fused);
        out[i] = None;
    }
    Ok(out.into_iter().flatten().collect())
}
