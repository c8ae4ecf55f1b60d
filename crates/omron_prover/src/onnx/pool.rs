//! AveragePool (a dot with weight 1/n) and MaxPool (a chain of ReLU comparisons).

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_i, attr_ints, node_name, Env};
use crate::error::{Error, ErrorCode};
use crate::ir::ActKind;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

/// Output size and, per output position, the in-bounds input windows.
struct Windows {
    oh: usize,
    ow: usize,
    kh: usize,
    kw: usize,
    strides: Vec<i64>,
    pads: Vec<i64>,
}

fn windows(node: &NodeProto, h: usize, w: usize) -> Result<Windows, Error> {
    let k = attr_ints(node, "kernel_shape")?
        .filter(|k| k.len() == 2)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::BadModel,
                format!("node `{}` needs a 2-D kernel_shape", node_name(node)),
            )
        })?;
    let strides = attr_ints(node, "strides")?.unwrap_or(vec![1, 1]);
    let pads = attr_ints(node, "pads")?.unwrap_or(vec![0, 0, 0, 0]);
    if attr_i(node, "ceil_mode", 0)? != 0 || strides.len() != 2 || pads.len() != 4 {
        return Err(Error::unsupported_op(
            &format!("{} (ceil_mode or non 2-D)", node.op_type),
            &node_name(node),
        ));
    }
    let oh = (h as i64 + pads[0] + pads[2] - k[0]) / strides[0] + 1;
    let ow = (w as i64 + pads[1] + pads[3] - k[1]) / strides[1] + 1;
    if oh <= 0 || ow <= 0 {
        return Err(Error::new(
            ErrorCode::ShapeMismatch,
            format!("node `{}` has an empty output", node_name(node)),
        ));
    }
    Ok(Windows {
        oh: oh as usize,
        ow: ow as usize,
        kh: k[0] as usize,
        kw: k[1] as usize,
        strides,
        pads,
    })
}

/// Applies `reduce` to every window of every channel: (ids in window, full window size).
fn pool(
    b: &mut ProgBuilder,
    env: &Env,
    node: &NodeProto,
    mut reduce: impl FnMut(&mut ProgBuilder, Vec<usize>, usize) -> usize,
) -> Result<T, Error> {
    let T::V(x) = env.get(node, 0)? else {
        return Err(Error::unsupported_op(
            &format!("{} of a constant", node.op_type),
            &node_name(node),
        ));
    };
    if x.ndim() != 4 {
        return Err(Error::unsupported_op(
            &format!("{} (only 2-D)", node.op_type),
            &node_name(node),
        ));
    }
    let (n, c, h, w) = (x.shape()[0], x.shape()[1], x.shape()[2], x.shape()[3]);
    let win = windows(node, h, w)?;
    let mut out = ArrayD::zeros(IxDyn(&[n, c, win.oh, win.ow]));
    for bi in 0..n {
        for ch in 0..c {
            for oy in 0..win.oh {
                for ox in 0..win.ow {
                    let mut ids = Vec::new();
                    for ky in 0..win.kh {
                        for kx in 0..win.kw {
                            let iy = oy as i64 * win.strides[0] - win.pads[0] + ky as i64;
                            let ix = ox as i64 * win.strides[1] - win.pads[1] + kx as i64;
                            if iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w {
                                ids.push(x[[bi, ch, iy as usize, ix as usize]]);
                            }
                        }
                    }
                    out[[bi, ch, oy, ox]] = reduce(b, ids, win.kh * win.kw);
                }
            }
        }
    }
    Ok(T::V(out))
}

pub fn avg_pool(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    let include_pad = attr_i(node, "count_include_pad", 0)? != 0;
    pool(b, env, node, |b, ids, full| {
        let count = if include_pad { full } else { ids.len() };
        let (st, sp) = (b.st, b.sp);
        let wq = q(1.0 / count as f64, sp);
        let terms = ids.into_iter().map(|id| (b.rescaled(id), wq)).collect();
        b.dot(terms, 0, st + sp)
    })
}

pub fn max_pool(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<T, Error> {
    pool(b, env, node, |b, ids, _| {
        let st = b.st;
        let mut best = b.rescaled(ids[0]);
        for &id in &ids[1..] {
            let v = b.rescaled(id);
            let diff = b.dot(vec![(v, 1), (best, -1)], 0, st);
            let gain = b.act(diff, ActKind::Relu);
            best = b.dot(vec![(best, 1), (gain, 1)], 0, st);
        }
        best
    })
}
