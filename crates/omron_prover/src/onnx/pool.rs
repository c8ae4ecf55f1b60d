//! AveragePool (a dot with weight 1/n) and MaxPool (a chain of ReLU comparisons).

use super::prog::{q, ProgBuilder};
use super::tensor::T;
use super::{attr_i, attr_ints, attr_s, node_name, Env};
use crate::error::{Error, ErrorCode};
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

/// Output size and the window geometry.
struct Windows {
    oh: usize,
    ow: usize,
    kh: usize,
    kw: usize,
    strides: Vec<i64>,
    dilations: Vec<i64>,
    /// Begin pads (top, left) then end pads (bottom, right).
    pads: Vec<i64>,
}

/// Output length of one spatial axis; with `ceil`, a last partial window counts when
/// it starts inside the input or its begin padding (ONNX / PyTorch rule).
fn out_len(n: i64, k_eff: i64, stride: i64, pb: i64, pe: i64, ceil: bool) -> i64 {
    let span = n + pb + pe - k_eff;
    if span < 0 {
        return 0;
    }
    let mut o = if ceil {
        (span + stride - 1) / stride + 1
    } else {
        span / stride + 1
    };
    if ceil && (o - 1) * stride >= n + pb {
        o -= 1;
    }
    o
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
    let dilations = attr_ints(node, "dilations")?.unwrap_or(vec![1, 1]);
    let pads = attr_ints(node, "pads")?.unwrap_or(vec![0, 0, 0, 0]);
    let ceil = attr_i(node, "ceil_mode", 0)? != 0;
    if strides.len() != 2 || pads.len() != 4 || dilations.len() != 2 {
        return Err(Error::unsupported_op(
            &format!("{} (non 2-D strides, pads or dilations)", node.op_type),
            &node_name(node),
        ));
    }
    if strides.iter().chain(&dilations).any(|&v| v < 1) || k.iter().any(|&v| v < 1) {
        return Err(Error::new(
            ErrorCode::BadModel,
            format!(
                "node `{}` has a non-positive kernel, stride or dilation",
                node_name(node)
            ),
        ));
    }
    let k_eff = [(k[0] - 1) * dilations[0] + 1, (k[1] - 1) * dilations[1] + 1];
    let dims = [h as i64, w as i64];
    let pads = auto_pads(node, dims, k_eff, &strides, pads)?;
    let oh = out_len(dims[0], k_eff[0], strides[0], pads[0], pads[2], ceil);
    let ow = out_len(dims[1], k_eff[1], strides[1], pads[1], pads[3], ceil);
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
        dilations,
        pads,
    })
}

/// Applies `reduce` to every window of every channel: (ids in window, full window size).
fn pool(
    b: &mut ProgBuilder,
    env: &Env,
    node: &NodeProto,
    mut reduce: impl FnMut(&mut ProgBuilder, Vec<usize>, usize) -> usize,
    // (ids in bounds, window positions inside the padded input)
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
                    let mut padded = 0;
                    for ky in 0..win.kh {
                        for kx in 0..win.kw {
                            let iy = oy as i64 * win.strides[0] - win.pads[0]
                                + ky as i64 * win.dilations[0];
                            let ix = ox as i64 * win.strides[1] - win.pads[1]
                                + kx as i64 * win.dilations[1];
                            // Positions in the end padding count for count_include_pad;
                            // a ceil_mode overhang beyond it does not.
                            if iy < h as i64 + win.pads[2] && ix < w as i64 + win.pads[3] {
                                padded += 1;
                            }
                            if iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w {
                                ids.push(x[[bi, ch, iy as usize, ix as usize]]);
                            }
                        }
                    }
                    if ids.is_empty() {
                        return Err(Error::new(
                            ErrorCode::ShapeMismatch,
                            format!("node `{}` has a window with no input", node_name(node)),
                        ));
                    }
                    out[[bi, ch, oy, ox]] = reduce(b, ids, padded);
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
    if node.output.get(1).is_some_and(|o| !o.is_empty()) {
        return Err(Error::unsupported_op(
            "MaxPool (Indices output)",
            &node_name(node),
        ));
    }
    pool(b, env, node, |b, ids, _| super::reduce::max_of(b, &ids))
}

/// The explicit pads of a 2-D window op (Conv, pools) under its `auto_pad` attribute:
/// NOTSET keeps `pads`, VALID is none, SAME_UPPER/SAME_LOWER pad so that the output is
/// ⌈input / stride⌉ long, the odd pixel at the end (UPPER) or the start (LOWER).
pub(super) fn auto_pads(
    node: &NodeProto,
    dims: [i64; 2],
    k_eff: [i64; 2],
    strides: &[i64],
    mut pads: Vec<i64>,
) -> Result<Vec<i64>, Error> {
    match attr_s(node, "auto_pad")?.as_deref() {
        None | Some("NOTSET") => {}
        Some("VALID") => pads = vec![0, 0, 0, 0],
        Some(mode @ ("SAME_UPPER" | "SAME_LOWER")) => {
            for ax in 0..2 {
                let out = (dims[ax] + strides[ax] - 1) / strides[ax];
                let total = ((out - 1) * strides[ax] + k_eff[ax] - dims[ax]).max(0);
                let small = total / 2;
                let (pb, pe) = if mode == "SAME_UPPER" {
                    (small, total - small)
                } else {
                    (total - small, small)
                };
                pads[ax] = pb;
                pads[ax + 2] = pe;
            }
        }
        Some(other) => {
            return Err(Error::unsupported_op(
                &format!("{} (auto_pad {other})", node.op_type),
                &node_name(node),
            ))
        }
    }
    Ok(pads)
}
