//! Tensors during lowering: constants (floats) or arrays of IR value ids.

use crate::error::{bad_model, Error, ErrorCode};
use tract_onnx::pb::TensorProto;
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};

/// A lowered tensor.
#[derive(Debug, Clone)]
pub enum T {
    /// Known at compile time.
    C(ArrayD<f64>),
    /// One IR value per element.
    V(ArrayD<usize>),
}

impl T {
    pub fn shape(&self) -> Vec<usize> {
        match self {
            T::C(a) => a.shape().to_vec(),
            T::V(a) => a.shape().to_vec(),
        }
    }
}

fn le_chunks<const N: usize>(raw: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
    raw.chunks_exact(N).map(|c| c.try_into().expect("chunk"))
}

/// Converts an ONNX tensor (float, double, int32, int64) to f64.
pub fn from_proto(t: &TensorProto) -> Result<ArrayD<f64>, Error> {
    let dims: Vec<usize> = t
        .dims
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| bad_model("negative tensor dimension")))
        .collect::<Result<_, _>>()?;
    let raw = &t.raw_data;
    let data: Vec<f64> = match t.data_type {
        1 if raw.is_empty() => t.float_data.iter().map(|&x| f64::from(x)).collect(),
        1 => le_chunks::<4>(raw)
            .map(|b| f64::from(f32::from_le_bytes(b)))
            .collect(),
        11 if raw.is_empty() => t.double_data.clone(),
        11 => le_chunks::<8>(raw).map(f64::from_le_bytes).collect(),
        7 if raw.is_empty() => t.int64_data.iter().map(|&x| x as f64).collect(),
        7 => le_chunks::<8>(raw)
            .map(|b| i64::from_le_bytes(b) as f64)
            .collect(),
        6 if raw.is_empty() => t.int32_data.iter().map(|&x| f64::from(x)).collect(),
        6 => le_chunks::<4>(raw)
            .map(|b| f64::from(i32::from_le_bytes(b)))
            .collect(),
        other => {
            return Err(Error::new(
                ErrorCode::BadModel,
                format!("tensor `{}` has unsupported data type {other}", t.name),
            ))
        }
    };
    ArrayD::from_shape_vec(IxDyn(&dims), data).map_err(|_| {
        bad_model(format!(
            "tensor `{}` has a size that does not match its dims",
            t.name
        ))
    })
}
