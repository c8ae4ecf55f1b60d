//! ONNX → IR lowering. Reads the protobuf through tract-onnx's types, concretizes
//! symbolic (batch) dimensions to 1 and lowers node by node into [`Program`] ops.

mod activation;
mod elementwise;
mod fold;
mod gru;
mod linear;
mod norm;
mod pool;
pub mod prog;
mod recurrent;
mod reduce;
pub mod tensor;
mod wiring;

use crate::error::{bad_model, Error, ErrorCode};
use crate::ir::{ActKind, Program};
use prog::ProgBuilder;
use std::collections::HashMap;
use tensor::T;
use tract_onnx::pb::{self, NodeProto};
use tract_onnx::prelude::tract_ndarray::{ArrayD, IxDyn};
use tract_onnx::prelude::Framework;

/// The lowered model plus its interface.
pub struct Lowered {
    pub program: Program,
    pub input_shapes: Vec<Vec<usize>>,
    pub output_shapes: Vec<Vec<usize>>,
    pub builder_widths: Vec<u32>,
    pub luts: Vec<crate::ir::Lut>,
}

/// Environment of named tensors.
pub struct Env {
    pub tensors: HashMap<String, T>,
    /// Version of the default ONNX operator set the model imports.
    pub opset: i64,
}

impl Env {
    pub fn get(&self, node: &NodeProto, i: usize) -> Result<&T, Error> {
        let name = node
            .input
            .get(i)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| bad_model(format!("node `{}` lacks input {i}", node_name(node))))?;
        self.tensors.get(name).ok_or_else(|| {
            bad_model(format!(
                "node `{}` reads unknown tensor `{name}`",
                node_name(node)
            ))
        })
    }
    pub fn opt(&self, node: &NodeProto, i: usize) -> Option<&T> {
        node.input
            .get(i)
            .filter(|n| !n.is_empty())
            .and_then(|n| self.tensors.get(n))
    }
    pub fn konst(&self, node: &NodeProto, i: usize) -> Result<&ArrayD<f64>, Error> {
        match self.get(node, i)? {
            T::C(a) => Ok(a),
            T::V(_) => Err(Error::new(
                ErrorCode::UnsupportedOp,
                format!(
                    "node `{}` ({}) needs input {i} to be a constant",
                    node_name(node),
                    node.op_type
                ),
            )),
        }
    }
}

pub fn node_name(node: &NodeProto) -> String {
    if !node.name.is_empty() {
        node.name.clone()
    } else {
        node.output.first().cloned().unwrap_or_default()
    }
}

fn shape_of(vi: &pb::ValueInfoProto) -> Result<Vec<usize>, Error> {
    use pb::tensor_shape_proto::dimension::Value as D;
    use pb::type_proto::Value as Tv;
    let tt = match vi.r#type.as_ref().and_then(|t| t.value.as_ref()) {
        Some(Tv::TensorType(tt)) => tt,
        _ => return Err(bad_model(format!("input `{}` is not a tensor", vi.name))),
    };
    let shape = tt
        .shape
        .as_ref()
        .ok_or_else(|| bad_model(format!("input `{}` has no shape", vi.name)))?;
    Ok(shape
        .dim
        .iter()
        .map(|d| match d.value {
            Some(D::DimValue(v)) if v > 0 => v as usize,
            _ => 1,
        })
        .collect())
}

/// Parses ONNX bytes and lowers them.
/// `challenge_checks` says whether layers with reused weights may use the challenge check.
pub fn lower_with(
    onnx: &[u8],
    st: u32,
    sp: u32,
    lookup_scale: u32,
    challenge_checks: bool,
) -> Result<Lowered, Error> {
    let model = tract_onnx::onnx()
        .proto_model_for_read(&mut &onnx[..])
        .map_err(|e| bad_model(format!("cannot parse ONNX: {e}")))?;
    let graph = model
        .graph
        .as_ref()
        .ok_or_else(|| bad_model("ONNX model has no graph"))?;
    let opset = model
        .opset_import
        .iter()
        .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .map_or(13, |o| o.version);
    let mut env = Env {
        tensors: HashMap::new(),
        opset,
    };
    for init in &graph.initializer {
        env.tensors
            .insert(init.name.clone(), T::C(tensor::from_proto(init)?));
    }
    let mut b = ProgBuilder::new(st, sp, lookup_scale);
    b.challenge_checks = challenge_checks;
    let mut input_shapes = Vec::new();
    let mut index = 0;
    for vi in &graph.input {
        if env.tensors.contains_key(&vi.name) {
            continue;
        }
        let shape = shape_of(vi)?;
        let n: usize = shape.iter().product();
        let ids: Vec<usize> = (0..n).map(|i| b.input(index + i)).collect();
        index += n;
        env.tensors.insert(
            vi.name.clone(),
            T::V(ArrayD::from_shape_vec(IxDyn(&shape), ids).expect("shape")),
        );
        input_shapes.push(shape);
    }
    if input_shapes.is_empty() {
        return Err(bad_model("ONNX model has no inputs"));
    }
    let outputs: Vec<String> = graph.output.iter().map(|o| o.name.clone()).collect();
    let nodes = linear::fuse_conv_batch_norm(&graph.node, &outputs, &mut env)?;
    for node in &nodes {
        let out = lower_node(&mut b, &env, node)?;
        for (name, t) in node.output.iter().zip(out) {
            env.tensors.insert(name.clone(), t);
        }
    }
    let mut outputs = Vec::new();
    let mut output_shapes = Vec::new();
    for vi in &graph.output {
        let t = env
            .tensors
            .get(&vi.name)
            .ok_or_else(|| bad_model(format!("graph output `{}` is never produced", vi.name)))?;
        let arr = match t {
            T::V(a) => a.clone(),
            T::C(c) => c.mapv(|x| b.constant(x)),
        };
        output_shapes.push(arr.shape().to_vec());
        outputs.extend(arr.iter().map(|&id| b.rescaled(id)));
    }
    let program = Program {
        ops: b.ops,
        scales: b.scales,
        input_len: index,
        outputs,
        linears: b.linears,
    };
    Ok(Lowered {
        program,
        input_shapes,
        output_shapes,
        builder_widths: b.widths.into_iter().collect(),
        luts: b.luts.into_iter().collect(),
    })
}

fn lower_node(b: &mut ProgBuilder, env: &Env, node: &NodeProto) -> Result<Vec<T>, Error> {
    let one = |t: T| Ok(vec![t]);
    match node.op_type.as_str() {
        "Gemm" => one(linear::gemm(b, env, node)?),
        "MatMul" => one(linear::matmul(b, env, node)?),
        "Conv" => one(linear::conv(b, env, node)?),
        "BatchNormalization" => one(linear::batch_norm(b, env, node)?),
        "AveragePool" => one(pool::avg_pool(b, env, node)?),
        "MaxPool" => one(pool::max_pool(b, env, node)?),
        "Add" | "Sub" | "Mul" | "Div" => one(elementwise::binary(b, env, node)?),
        "Relu" => one(elementwise::activation(b, env, node, ActKind::Relu)?),
        "Sigmoid" => one(elementwise::activation(
            b,
            env,
            node,
            ActKind::Lut(crate::ir::Lut::Sigmoid),
        )?),
        "Tanh" => one(elementwise::activation(
            b,
            env,
            node,
            ActKind::Lut(crate::ir::Lut::Tanh),
        )?),
        "Exp" | "Log" | "Sqrt" | "Reciprocal" | "Erf" | "Gelu" | "Clip" | "LeakyRelu"
        | "HardSigmoid" | "HardSwish" | "Abs" | "Neg" => one(activation::unary(b, env, node)?),
        "ReduceSum" | "ReduceMean" | "ReduceMax" | "GlobalAveragePool" | "GlobalMaxPool" => {
            one(reduce::reduce(b, env, node)?)
        }
        "ConstantOfShape" | "Range" | "Cast" | "CastLike" | "Expand" | "Equal" | "Less"
        | "Greater" | "Where" | "Not" | "Floor" | "Ceil" | "Round" | "Mod" => {
            one(fold::fold(env, node)?)
        }
        "Pow" => one(elementwise::pow(b, env, node)?),
        "Split" => wiring::split(b, env, node),
        "Min" | "Max" => one(reduce::extreme(b, env, node)?),
        "Softmax" => one(reduce::softmax(b, env, node)?),
        "LayerNormalization" => norm::layer_norm(b, env, node),
        "LSTM" => recurrent::lstm(b, env, node),
        "GRU" => gru::gru(b, env, node),
        "Identity" | "Dropout" => one(env.get(node, 0)?.clone()),
        "Constant" => one(wiring::constant(node)?),
        "Reshape" | "Flatten" | "Squeeze" | "Unsqueeze" | "Transpose" | "Slice" | "Concat"
        | "Gather" | "Shape" | "Pad" => one(wiring::lower(b, env, node)?),
        other => Err(Error::unsupported_op(other, &node_name(node))),
    }
}

/// Attribute helpers mapping tract errors to BAD_MODEL.
pub fn attr_i(node: &NodeProto, name: &str, default: i64) -> Result<i64, Error> {
    Ok(node
        .get_attr_opt::<i64>(name)
        .map_err(|e| bad_model(e.to_string()))?
        .unwrap_or(default))
}
pub fn attr_f(node: &NodeProto, name: &str, default: f32) -> Result<f32, Error> {
    Ok(node
        .get_attr_opt::<f32>(name)
        .map_err(|e| bad_model(e.to_string()))?
        .unwrap_or(default))
}
pub fn attr_ints(node: &NodeProto, name: &str) -> Result<Option<Vec<i64>>, Error> {
    node.get_attr_opt_vec::<i64>(name)
        .map_err(|e| bad_model(e.to_string()))
}
pub fn attr_s(node: &NodeProto, name: &str) -> Result<Option<String>, Error> {
    node.get_attr_opt::<String>(name)
        .map_err(|e| bad_model(e.to_string()))
}
