#!/usr/bin/env python3
"""Generates the prover's tiny test models deterministically (fixed seeds).

Usage: python3 tooling/models/generate.py   (needs `pip install onnx numpy`)
Writes mlp.onnx, cnn.onnx, sigmoid_tanh.onnx, ops.onnx, unsupported.onnx, lstm.onnx, vision.onnx,
conv_autopad.onnx, activations.onnx, norm.onnx and gru.onnx next to this script.
"""

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = Path(__file__).resolve().parent
OPSET = 13


def init(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


def save(name, nodes, inputs, outputs, inits, opset=OPSET):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="omron-models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = OUT / f"{name}.onnx"
    path.write_bytes(model.SerializeToString())
    print(f"wrote {path} ({path.stat().st_size} bytes)")


def vi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def mlp():
    rng = np.random.default_rng(1)
    w1 = rng.normal(0, 1 / np.sqrt(784), (32, 784))
    b1 = rng.normal(0, 0.1, 32)
    w2 = rng.normal(0, 0.5 / np.sqrt(32), (10, 32))
    b2 = rng.normal(0, 0.1, 10)
    nodes = [
        helper.make_node("Gemm", ["input", "w1", "b1"], ["h"], transB=1, name="fc1"),
        helper.make_node("Relu", ["h"], ["hr"], name="relu1"),
        helper.make_node("Gemm", ["hr", "w2", "b2"], ["output"], transB=1, name="fc2"),
    ]
    save("mlp", nodes, [vi("input", ["batch", 784])], [vi("output", ["batch", 10])],
         [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)])


def cnn():
    rng = np.random.default_rng(2)
    wc = rng.normal(0, 0.4, (4, 1, 3, 3))
    bc = rng.normal(0, 0.1, 4)
    wf = rng.normal(0, 0.3, (10, 64))
    bf = rng.normal(0, 0.1, 10)
    nodes = [
        helper.make_node("Conv", ["input", "wc", "bc"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("Relu", ["c"], ["cr"], name="relu"),
        helper.make_node("AveragePool", ["cr"], ["p"], kernel_shape=[2, 2], strides=[2, 2], name="avgpool"),
        helper.make_node("Flatten", ["p"], ["f"], axis=1, name="flatten"),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["output"], transB=1, name="fc"),
    ]
    save("cnn", nodes, [vi("input", [1, 1, 8, 8])], [vi("output", [1, 10])],
         [init("wc", wc), init("bc", bc), init("wf", wf), init("bf", bf)])


def sigmoid_tanh():
    rng = np.random.default_rng(3)
    w1 = rng.normal(0, 0.8, (16, 16))
    b1 = rng.normal(0, 0.2, 16)
    w2 = rng.normal(0, 0.5, (16, 8))
    b2 = rng.normal(0, 0.2, 8)
    nodes = [
        helper.make_node("MatMul", ["input", "w1"], ["m1"], name="mm1"),
        helper.make_node("Add", ["m1", "b1"], ["a1"], name="add1"),
        helper.make_node("Sigmoid", ["a1"], ["s"], name="sigmoid"),
        helper.make_node("MatMul", ["s", "w2"], ["m2"], name="mm2"),
        helper.make_node("Add", ["m2", "b2"], ["a2"], name="add2"),
        helper.make_node("Tanh", ["a2"], ["output"], name="tanh"),
    ]
    save("sigmoid_tanh", nodes, [vi("input", [1, 16])], [vi("output", [1, 8])],
         [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)])


def ops():
    """Covers the remaining ops: strided padded Conv, BatchNormalization, MaxPool and
    the wiring ops, plus Sub/Mul with broadcasting and a variable × variable Mul."""
    rng = np.random.default_rng(4)
    wc = rng.normal(0, 0.4, (3, 2, 3, 3))
    gamma, beta = rng.uniform(0.5, 1.5, 3), rng.normal(0, 0.1, 3)
    mean, var = rng.normal(0, 0.1, 3), rng.uniform(0.5, 1.5, 3)
    nodes = [
        helper.make_node("Conv", ["input", "wc"], ["c"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], name="conv_s2"),
        helper.make_node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["bn"], name="bn"),
        helper.make_node("MaxPool", ["bn"], ["mp"], kernel_shape=[2, 2], strides=[1, 1], name="maxpool"),
        helper.make_node("Transpose", ["mp"], ["t"], perm=[0, 2, 3, 1], name="transpose"),
        helper.make_node("Reshape", ["t", "shape"], ["r"], name="reshape"),
        helper.make_node("Slice", ["r", "starts", "ends", "axes"], ["sl"], name="slice"),
        helper.make_node("Gather", ["r", "gidx"], ["g"], axis=1, name="gather"),
        helper.make_node("Concat", ["sl", "g"], ["cat"], axis=1, name="concat"),
        helper.make_node("Unsqueeze", ["cat", "uax"], ["u"], name="unsqueeze"),
        helper.make_node("Squeeze", ["u", "uax"], ["sq"], name="squeeze"),
        helper.make_node("Sub", ["sq", "shift"], ["sub"], name="sub"),
        helper.make_node("Mul", ["sub", "sq"], ["prod"], name="mul_vv"),
        helper.make_node("Mul", ["prod", "half"], ["output"], name="mul_vc"),
    ]
    inits = [
        init("wc", wc), init("gamma", gamma), init("beta", beta), init("mean", mean), init("var", var),
        ints("shape", [1, -1]), ints("starts", [2]), ints("ends", [10]), ints("axes", [1]),
        ints("gidx", [0, 5, 26]), ints("uax", [0]), init("shift", [0.25]), init("half", [0.5]),
    ]
    save("ops", nodes, [vi("input", [1, 2, 7, 7])], [vi("output", [1, 11])], inits)


def unsupported():
    """A model with an op the prover cannot prove (TopK): compiling it must fail with
    UNSUPPORTED_OP naming the node."""
    nodes = [helper.make_node("TopK", ["input", "k"], ["output", "indices"], axis=1, name="topk_head")]
    save("unsupported", nodes, [vi("input", [1, 4])], [vi("output", [1, 2])], [ints("k", [2])])


def vision():
    """Padding, pooling and folded shape arithmetic as exporters write them: reflect/edge/
    constant Pad, Clip, MaxPool and AveragePool with ceil_mode, the global pools, a
    Shape→Gather→Unsqueeze→Concat→Reshape chain plus ConstantOfShape/Range/Cast/Expand, and Split."""
    rng = np.random.default_rng(6)
    wc = rng.normal(0, 0.3, (4, 3, 3, 3))
    bc = rng.normal(0, 0.1, 4)
    nodes = [
        helper.make_node("Pad", ["input", "pads_reflect"], ["p1"], mode="reflect", name="pad_reflect"),
        helper.make_node("Conv", ["p1", "wc", "bc"], ["c"], kernel_shape=[3, 3], name="conv"),
        helper.make_node("Clip", ["c", "zero", "half"], ["cl"], name="clip"),
        helper.make_node("Pad", ["cl", "pads_edge"], ["p2"], mode="edge", name="pad_edge"),
        helper.make_node("MaxPool", ["p2"], ["mp"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1,
                         name="maxpool_ceil"),
        helper.make_node("AveragePool", ["mp"], ["ap"], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1,
                         name="avgpool_ceil"),
        helper.make_node("Pad", ["ap", "pads_const", "quarter"], ["p3"], mode="constant", name="pad_const"),
        helper.make_node("GlobalMaxPool", ["p3"], ["gmp"], name="global_max"),
        helper.make_node("GlobalAveragePool", ["p3"], ["gap"], name="global_avg"),
        helper.make_node("Add", ["gmp", "gap"], ["g"], name="add_pools"),
        helper.make_node("Shape", ["g"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero_i"], ["batch"], axis=0, name="gather"),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus_one"], ["target"], axis=0, name="concat"),
        helper.make_node("Reshape", ["g", "target"], ["flat"], name="reshape"),
        helper.make_node("ConstantOfShape", ["target_const"], ["tenth"],
                         value=numpy_helper.from_array(np.array([0.1], dtype=np.float32)), name="const_of_shape"),
        helper.make_node("Range", ["zero_i", "four_i", "one_i"], ["ramp_i"], name="range"),
        helper.make_node("Cast", ["ramp_i"], ["ramp"], to=TensorProto.FLOAT, name="cast"),
        helper.make_node("Expand", ["ramp", "target_const"], ["ramp2"], name="expand"),
        helper.make_node("Mul", ["ramp2", "tenth"], ["offset"], name="mul_const"),
        helper.make_node("Add", ["flat", "offset"], ["summed"], name="add_offset"),
        helper.make_node("Split", ["summed", "split_sizes"], ["left", "right"], axis=1, name="split"),
        helper.make_node("Concat", ["right", "left"], ["output"], axis=1, name="swap"),
    ]
    inits = [
        init("wc", wc), init("bc", bc), init("zero", 0.0), init("half", 0.5), init("quarter", 0.25),
        ints("pads_reflect", [0, 0, 1, 1, 0, 0, 1, 1]), ints("pads_edge", [0, 0, 0, 0, 0, 0, 1, 1]),
        ints("pads_const", [0, 0, 1, 0, 0, 0, 0, 1]), ints("zero_i", 0), ints("four_i", 4), ints("one_i", 1),
        ints("axes0", [0]), ints("minus_one", [-1]), ints("target_const", [1, 4]), ints("split_sizes", [1, 3]),
    ]
    save("vision", nodes, [vi("input", [1, 3, 9, 9])], [vi("output", [1, 4])], inits)


def conv_autopad():
    """Conv with auto_pad as exporters write it: SAME_UPPER with stride 2, SAME_LOWER with an even
    kernel (one-sided padding) and VALID."""
    rng = np.random.default_rng(11)
    w1, b1 = rng.normal(0, 0.3, (4, 2, 3, 3)), rng.normal(0, 0.1, 4)
    w2, b2 = rng.normal(0, 0.3, (4, 4, 2, 2)), rng.normal(0, 0.1, 4)
    w3, b3 = rng.normal(0, 0.3, (3, 4, 3, 3)), rng.normal(0, 0.1, 3)
    nodes = [
        helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], kernel_shape=[3, 3], strides=[2, 2],
                         auto_pad="SAME_UPPER", name="conv_same_upper"),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], kernel_shape=[2, 2], auto_pad="SAME_LOWER",
                         name="conv_same_lower"),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("Conv", ["r2", "w3", "b3"], ["c3"], kernel_shape=[3, 3], auto_pad="VALID",
                         name="conv_valid"),
        helper.make_node("Flatten", ["c3"], ["output"], axis=1, name="flatten"),
    ]
    inits = [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), init("w3", w3), init("b3", b3)]
    save("conv_autopad", nodes, [vi("input", [1, 2, 7, 7])], [vi("output", [1, 12])], inits)


def activations():
    """Element-wise activations through exact ReLU combinations and table lookups, and a
    GELU as PyTorch exports it (Div, Erf, Add, Mul), a division of two variables, Pow, and
    element-wise Max/Min of variables and constants."""
    rng = np.random.default_rng(7)
    w = rng.normal(0, 0.25, (16, 16))
    n = lambda op, ins, out, **kw: helper.make_node(op, ins, [out], name=out, **kw)
    nodes = [
        n("MatMul", ["input", "w"], "h"),
        n("LeakyRelu", ["h"], "leaky", alpha=0.1),
        n("HardSigmoid", ["h"], "hsig", alpha=0.25, beta=0.4),
        n("HardSwish", ["h"], "hswish"),
        n("Mul", ["h", "half"], "h_half"),
        n("Exp", ["h_half"], "exp"),
        n("Sigmoid", ["h"], "sig"),
        n("Add", ["sig", "half"], "sig_half"),
        n("Log", ["sig_half"], "log"),
        n("Abs", ["h"], "abs"),
        n("Sqrt", ["abs"], "sqrt"),
        n("Add", ["abs", "one"], "abs1"),
        n("Reciprocal", ["abs1"], "recip"),
        n("Erf", ["h"], "erf"),
        n("Div", ["h", "sqrt2"], "h_s2"),
        n("Erf", ["h_s2"], "erf_s2"),
        n("Add", ["erf_s2", "one"], "erf1"),
        n("Mul", ["h", "erf1"], "h_erf1"),
        n("Mul", ["h_erf1", "half"], "gelu"),
        n("Add", ["abs", "two"], "abs2"),
        n("Div", ["h", "abs2"], "div_vv"),
        n("Pow", ["h", "two"], "square"),
        n("Neg", ["h"], "neg"),
        n("Pow", ["abs1", "minus_half"], "rsqrt"),
        n("Clip", ["h", "minus_half", ""], "clip_lo"),
        n("Clip", ["h", "", "half"], "clip_hi"),
        n("Max", ["h", "minus_half"], "max_vc"),
        n("Min", ["h", "sig", "one"], "min_vv"),
        helper.make_node("Concat", ["leaky", "hsig", "hswish", "exp", "log", "sqrt", "recip", "erf", "gelu",
                                    "div_vv", "square", "neg", "rsqrt", "clip_lo", "clip_hi",
                                    "max_vc", "min_vv"],
                         ["output"], axis=1, name="concat"),
    ]
    inits = [init("w", w), init("half", 0.5), init("one", 1.0), init("two", 2.0), init("sqrt2", np.sqrt(2.0)),
             init("minus_half", -0.5)]
    save("activations", nodes, [vi("input", [1, 16])], [vi("output", [1, 272])], inits, opset=14)


def norm():
    """LayerNormalization, Softmax and the reductions (ReduceSum with an axes input,
    ReduceMean/ReduceMax with attributes) on a [1, 4, 8] input."""
    rng = np.random.default_rng(8)
    gamma, beta = rng.uniform(0.5, 1.5, 8), rng.normal(0, 0.1, 8)
    nodes = [
        helper.make_node("LayerNormalization", ["input", "gamma", "beta"], ["ln"], axis=-1, epsilon=1e-5,
                         name="layer_norm"),
        helper.make_node("Softmax", ["ln"], ["sm"], axis=-1, name="softmax"),
        helper.make_node("ReduceSum", ["sm", "axes1"], ["rs"], keepdims=0, name="reduce_sum"),
        helper.make_node("ReduceMean", ["input"], ["rm"], axes=[2], keepdims=0, name="reduce_mean"),
        helper.make_node("ReduceMax", ["input"], ["rx"], axes=[1], keepdims=0, name="reduce_max"),
        helper.make_node("Flatten", ["sm"], ["smf"], axis=1, name="flatten"),
        helper.make_node("Concat", ["smf", "rs", "rm", "rx"], ["output"], axis=1, name="concat"),
    ]
    inits = [init("gamma", gamma), init("beta", beta), ints("axes1", [1])]
    save("norm", nodes, [vi("input", [1, 4, 8])], [vi("output", [1, 52])], inits, opset=17)


def lstm():
    """The project's own model of the Omron benchmark architecture (same graph shape as the
    subnet's tf2onnx export, own weights): input [1,5,1] reshaped to [5,1,1] (time major),
    LSTM(1→50) and LSTM(50→50) with zero initial states, the last step's hidden state,
    and a Gemm head to one output. ONNX gate order is input, output, forget, cell; the
    forget bias is 1 as Keras initialises it."""
    rng = np.random.default_rng(5)
    hidden = 50

    def layer(inputs):
        w = rng.uniform(-0.2, 0.2, (1, 4 * hidden, inputs))
        r = rng.normal(0, 0.1, (1, 4 * hidden, hidden))
        b = np.zeros((1, 8 * hidden))
        b[0, :4 * hidden] = rng.normal(0, 0.1, 4 * hidden)
        b[0, 2 * hidden:3 * hidden] += 1.0
        return w, r, b

    w1, r1, b1 = layer(1)
    w2, r2, b2 = layer(hidden)
    wd = rng.uniform(-0.35, 0.35, (hidden, 1))
    bd = rng.normal(0, 0.01, 1)
    lstm_attrs = dict(activations=["Sigmoid", "Tanh", "Tanh"], direction="forward", hidden_size=hidden)
    nodes = [
        helper.make_node("Reshape", ["input", "time_major"], ["x"], name="transpose"),
        helper.make_node("LSTM", ["x", "w1", "r1", "b1", "", "h0", "h0"], ["y1", "y1_h", "y1_c"], name="lstm1",
                         **lstm_attrs),
        helper.make_node("Squeeze", ["y1", "axis1"], ["s1"], name="squeeze1"),
        helper.make_node("LSTM", ["s1", "w2", "r2", "b2", "", "h0", "h0"], ["y2", "y2_h", "y2_c"], name="lstm2",
                         **lstm_attrs),
        helper.make_node("Squeeze", ["y2", "axis1"], ["s2"], name="squeeze2"),
        helper.make_node("Slice", ["s2", "last", "end", "axis0"], ["l"], name="last_step"),
        helper.make_node("Squeeze", ["l", "axis0"], ["h"], name="squeeze3"),
        helper.make_node("Gemm", ["h", "wd", "bd"], ["output"], name="dense"),
    ]
    inits = [
        init("w1", w1), init("r1", r1), init("b1", b1), init("w2", w2), init("r2", r2), init("b2", b2),
        init("h0", np.zeros((1, 1, hidden))), init("wd", wd), init("bd", bd),
        ints("time_major", [5, 1, 1]), ints("axis1", [1]), ints("axis0", [0]), ints("last", [-1]),
        ints("end", [2**31 - 1]),
    ]
    save("lstm", nodes, [vi("input", [1, 5, 1])], [vi("output", [1, 1])], inits, opset=15)


def gru():
    """Two GRU layers (forward, default activations): the first with linear_before_reset=0
    and a zero initial state, the second with linear_before_reset=1, then a Gemm head on the
    last step."""
    rng = np.random.default_rng(9)
    hidden = 6

    def layer(inputs):
        w = rng.normal(0, 0.4, (1, 3 * hidden, inputs))
        r = rng.normal(0, 0.3, (1, 3 * hidden, hidden))
        b = rng.normal(0, 0.1, (1, 6 * hidden))
        return w, r, b

    w1, r1, b1 = layer(2)
    w2, r2, b2 = layer(hidden)
    wd = rng.normal(0, 0.4, (hidden, 2))
    nodes = [
        helper.make_node("GRU", ["input", "w1", "r1", "b1"], ["y1", "y1_h"], hidden_size=hidden, name="gru1"),
        helper.make_node("Squeeze", ["y1", "axis1"], ["s1"], name="squeeze1"),
        helper.make_node("GRU", ["s1", "w2", "r2", "b2"], ["", "y2_h"], hidden_size=hidden, linear_before_reset=1,
                         name="gru2"),
        helper.make_node("Squeeze", ["y2_h", "axis0"], ["h"], name="squeeze2"),
        helper.make_node("MatMul", ["h", "wd"], ["output"], name="head"),
    ]
    inits = [init("w1", w1), init("r1", r1), init("b1", b1), init("w2", w2), init("r2", r2), init("b2", b2),
             init("wd", wd), ints("axis1", [1]), ints("axis0", [0])]
    save("gru", nodes, [vi("input", [4, 1, 2])], [vi("output", [1, 2])], inits)


def age_cnn():
    """A two-stream CNN of the Omron age model's shape and scale (SSR-Net style, own
    weights): [1,3,64,64] images; a ReLU stream (3→32→32→32→32 channels, 3×3 convs with
    batch norm and 2×2 average pools) and a Tanh stream (3→16→16→16→16, 2×2 max pools);
    1×1 heads, their product and two Gemm outputs. About 17 million multiply-adds."""
    rng = np.random.default_rng(11)
    nodes, inits = [], []

    def conv(x, cin, cout, k, name, act, pool):
        w = rng.normal(0, np.sqrt(2.0 / (cin * k * k)), (cout, cin, k, k))
        inits.extend([init(f"{name}_w", w), init(f"{name}_b", rng.normal(0, 0.05, cout))])
        nodes.append(helper.make_node("Conv", [x, f"{name}_w", f"{name}_b"], [f"{name}_c"],
                                      kernel_shape=[k, k], pads=[k // 2] * 4, name=name))
        y = f"{name}_c"
        if k == 3:
            inits.extend([init(f"{name}_g", rng.uniform(0.8, 1.2, cout)), init(f"{name}_be", rng.normal(0, 0.05, cout)),
                          init(f"{name}_m", rng.normal(0, 0.05, cout)), init(f"{name}_v", rng.uniform(0.5, 1.5, cout))])
            nodes.append(helper.make_node("BatchNormalization", [y, f"{name}_g", f"{name}_be", f"{name}_m", f"{name}_v"],
                                          [f"{name}_n"], name=f"{name}_bn"))
            y = f"{name}_n"
        nodes.append(helper.make_node(act, [y], [f"{name}_a"], name=f"{name}_act"))
        y = f"{name}_a"
        if pool:
            nodes.append(helper.make_node(pool, [y], [f"{name}_p"], kernel_shape=[2, 2], strides=[2, 2], name=f"{name}_pool"))
            y = f"{name}_p"
        return y

    a, b = "input", "input"
    for i, (ca, cb, pool) in enumerate([(32, 16, True), (32, 16, True), (32, 16, True), (32, 16, False)]):
        a = conv(a, 3 if i == 0 else 32, ca, 3, f"a{i}", "Relu", "AveragePool" if pool else None)
        b = conv(b, 3 if i == 0 else 16, cb, 3, f"b{i}", "Tanh", "MaxPool" if pool else None)
    ha = conv(a, 32, 10, 1, "ha", "Relu", None)
    hb = conv(b, 16, 10, 1, "hb", "Relu", None)
    nodes += [
        helper.make_node("Flatten", [ha], ["fa"], axis=1, name="flat_a"),
        helper.make_node("Flatten", [hb], ["fb"], axis=1, name="flat_b"),
        helper.make_node("Mul", ["fa", "fb"], ["m"], name="mul"),
        helper.make_node("Gemm", ["m", "gp_w", "gp_b"], ["gp"], transB=1, name="prob_fc"),
        helper.make_node("Relu", ["gp"], ["prob"], name="prob_relu"),
        helper.make_node("Gemm", ["m", "gd_w", "gd_b"], ["gd"], transB=1, name="delta_fc"),
        helper.make_node("Tanh", ["gd"], ["delta"], name="delta_tanh"),
    ]
    inits += [init("gp_w", rng.normal(0, 0.05, (3, 640))), init("gp_b", rng.normal(0, 0.05, 3)),
              init("gd_w", rng.normal(0, 0.05, (1, 640))), init("gd_b", rng.normal(0, 0.05, 1))]
    save("age_cnn", nodes, [vi("input", [1, 3, 64, 64])], [vi("prob", [1, 3]), vi("delta", [1, 1])], inits)


if __name__ == "__main__":
    mlp()
    cnn()
    sigmoid_tanh()
    ops()
    unsupported()
    lstm()
    vision()
    conv_autopad()
    activations()
    norm()
    gru()
    age_cnn()
