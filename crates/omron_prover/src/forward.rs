//! The integer forward pass of a model on its own, without laying out a circuit.
//!
//! It computes exactly the values the witness of a proof holds (same rounding, same
//! table samples, same lookup-range checks), so a model's quantized outputs can be
//! checked, or its ranges explored, at a fraction of the cost of compiling it.

use crate::compile::{lower_with, CompileOptions};
use crate::error::{Error, ErrorCode};
use crate::ir::{ActKind, Op, Program};
use crate::prove::PublicInputs;
use crate::quant::{dequantize, quantize};
use crate::requant::{activate, overflow, requantize, OutOfRange, Requant};
use crate::table::LookupSpec;

/// Result of [`forward`].
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardOutput {
    /// Dequantized outputs, one vector per model output (what a proof would attest).
    pub outputs: Vec<Vec<f64>>,
    /// Shapes of the model outputs (batch 1).
    pub output_shapes: Vec<Vec<usize>>,
    /// The quantized inputs and outputs a proof of this inference would be bound to.
    pub public_inputs: PublicInputs,
}

/// Lowers `onnx` with `options` and runs its integer program on `inputs` (one `Vec`
/// per model input, row-major). Fails like proving would: `SHAPE_MISMATCH` on a wrong
/// input size, `INVALID_INPUT` on NaN/∞, `INPUT_OUT_OF_RANGE` when a value leaves the
/// lookup ranges; compile-time errors (`UNSUPPORTED_OP`, ...) as [`crate::compile`].
pub fn forward(
    onnx: &[u8],
    options: &CompileOptions,
    inputs: &[Vec<f64>],
) -> Result<ForwardOutput, Error> {
    let (lowered, spec) = lower_with(onnx, options)?;
    let quantized = quantize_checked(&lowered.input_shapes, options, inputs)?;
    let flat: Vec<i64> = quantized.iter().flatten().copied().collect();
    let values = evaluate(&lowered.program, &spec, &flat)?;
    let mut it = lowered.program.outputs.iter().map(|&id| values[id]);
    let outputs: Vec<Vec<i64>> = lowered
        .output_shapes
        .iter()
        .map(|s| it.by_ref().take(s.iter().product()).collect())
        .collect();
    Ok(ForwardOutput {
        outputs: outputs
            .iter()
            .map(|o| {
                o.iter()
                    .map(|&v| dequantize(v, options.input_scale))
                    .collect()
            })
            .collect(),
        output_shapes: lowered.output_shapes,
        public_inputs: PublicInputs {
            inputs: quantized,
            outputs,
        },
    })
}

/// Quantizes inputs like [`crate::quantize_inputs`] does for compiled settings: count,
/// length, finiteness and the same ±2^(lookup_bits−1+param_scale−input_scale) bound.
pub(crate) fn quantize_checked(
    shapes: &[Vec<usize>],
    options: &CompileOptions,
    inputs: &[Vec<f64>],
) -> Result<Vec<Vec<i64>>, Error> {
    let o = options;
    let max_abs = 2f64.powi((o.lookup_bits - 1 + o.param_scale) as i32 - o.input_scale as i32);
    if inputs.len() != shapes.len() {
        return Err(Error::new(
            ErrorCode::ShapeMismatch,
            format!("expected {} inputs, got {}", shapes.len(), inputs.len()),
        ));
    }
    let mut quantized = Vec::with_capacity(inputs.len());
    for (i, (v, shape)) in inputs.iter().zip(shapes).enumerate() {
        let n: usize = shape.iter().product();
        if v.len() != n {
            return Err(Error::new(
                ErrorCode::ShapeMismatch,
                format!(
                    "input {i} must have {n} elements (shape {shape:?}), got {}",
                    v.len()
                ),
            ));
        }
        let q: Vec<i64> = v
            .iter()
            .map(|&x| {
                if !x.is_finite() {
                    Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!("input {i} contains {x}"),
                    ))
                } else if x.abs() >= max_abs {
                    Err(Error::new(
                        ErrorCode::InputOutOfRange,
                        format!("input {i} value {x} exceeds ±{max_abs}"),
                    ))
                } else {
                    Ok(quantize(x, o.input_scale))
                }
            })
            .collect::<Result<_, _>>()?;
        quantized.push(q);
    }
    Ok(quantized)
}

/// Every IR value of `prog` on quantized `inputs`, with the witness layout's semantics:
/// a requantization rounds half up (q = ⌊(x + 2^(d-1)) / 2^d⌋), its table index
/// hi = ⌊q / 2^e⌋ must lie in the table's signed range, ReLU keeps q when hi ≥ 0, a
/// table function outputs its sample at hi.
pub(crate) fn evaluate(
    prog: &Program,
    spec: &LookupSpec,
    inputs: &[i64],
) -> Result<Vec<i64>, Error> {
    evaluate_observed(prog, spec, inputs, OutOfRange::Fail, |_, _| {})
}

/// [`evaluate`] with `range` deciding what a table index outside the table does, and
/// `seen(kind, q)` called with every requantized value.
pub(crate) fn evaluate_observed(
    prog: &Program,
    spec: &LookupSpec,
    inputs: &[i64],
    range: OutOfRange,
    mut seen: impl FnMut(ActKind, i64),
) -> Result<Vec<i64>, Error> {
    let mut v: Vec<i64> = Vec::with_capacity(prog.ops.len());
    for op in &prog.ops {
        let value = match op {
            Op::Input { index } => *inputs.get(*index).ok_or_else(|| {
                Error::new(
                    ErrorCode::ShapeMismatch,
                    format!("missing input element {index}"),
                )
            })?,
            Op::Dot { terms, bias, mul } => {
                let mut acc = i128::from(*bias);
                for &(id, w) in terms {
                    acc += i128::from(v[id]) * i128::from(w);
                }
                if let Some((a, b)) = mul {
                    acc += i128::from(v[*a]) * i128::from(v[*b]);
                }
                i64::try_from(acc).map_err(|_| overflow())?
            }
            Op::Act { x, d, e, kind } => {
                let Requant { q, hi, .. } = requantize(v[*x], *d, *e, spec, range)?;
                seen(*kind, q);
                activate(*kind, q, hi, spec)
            }
            Op::Product { linear, out, pos } => {
                let l = &prog.linears[*linear];
                let mut acc = i128::from(l.bias[*out]);
                for (k, &w) in l.weights[*out].iter().enumerate() {
                    if let Some(id) = l.inputs[k][*pos] {
                        acc += i128::from(v[id]) * i128::from(w);
                    }
                }
                i64::try_from(acc).map_err(|_| overflow())?
            }
        };
        v.push(value);
    }
    Ok(v)
}
