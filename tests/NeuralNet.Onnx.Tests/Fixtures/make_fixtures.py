#!/usr/bin/python3
"""Writes the PyTorch import fixtures: small seeded networks exported by torch.onnx.export, and for each the output
torch computed for a fixed input batch (JSON, every value with 17 significant digits).

Run with Debian's interpreter (python3-torch, python3-onnx):  /usr/bin/python3 make_fixtures.py [name ...]
Names given write only those fixtures (the others stay as committed). The files it writes are committed; the tests
only read them.
"""
import json
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize_batch_norm(module, generator):
    # Fresh BatchNorm1d has mean 0 and variance 1; give it statistics a trained network would have.
    for m in module.modules():
        if isinstance(m, nn.BatchNorm1d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(m.num_features, generator=generator))
                m.weight.copy_(1 + 0.5 * torch.randn(m.num_features, generator=generator))
                m.bias.copy_(0.5 * torch.randn(m.num_features, generator=generator))


def export(name, model, input_shape, opset=17, dtype=torch.float32):
    if len(sys.argv) > 1 and name not in sys.argv[1:]:
        return
    generator = torch.Generator().manual_seed(1234)
    randomize_batch_norm(model, generator)
    model = model.to(dtype).eval()
    x = torch.randn(8, *input_shape, generator=generator, dtype=dtype)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"], opset_version=opset,
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump({"torch": torch.__version__, "opset": opset, "dtype": str(dtype).replace("torch.", ""),
                   "input_shape": list(x.shape),
                   "input": [float(v) for v in x.flatten().tolist()],
                   "output_shape": list(y.shape),
                   "output": [float(v) for v in y.flatten().tolist()]}, f, indent=0)
    print(name, list(x.shape), "->", list(y.shape))


def main():
    torch.manual_seed(0)
    export("relu_tanh_softmax", nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh(),
                                              nn.Linear(8, 3), nn.Softmax(dim=1)), [6])
    export("gelu_erf_and_tanh", nn.Sequential(nn.Linear(5, 12), nn.GELU(), nn.Linear(12, 4),
                                              nn.GELU(approximate="tanh"), nn.Linear(4, 2)), [5])
    export("batchnorm_leaky_elu_logsoftmax", nn.Sequential(
        nn.Linear(7, 10), nn.BatchNorm1d(10), nn.LeakyReLU(0.1), nn.Dropout(0.2), nn.Linear(10, 6), nn.ELU(0.5),
        nn.Linear(6, 3), nn.LogSoftmax(dim=1)), [7])
    export("selu_softplus_sigmoid_silu", nn.Sequential(
        nn.Linear(4, 8), nn.SELU(), nn.Linear(8, 8), nn.Softplus(), nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 8),
        nn.SiLU(), nn.Linear(8, 3)), [4])
    export("flatten_image", nn.Sequential(nn.Flatten(), nn.Linear(16, 5), nn.ReLU(), nn.Identity(), nn.Linear(5, 2)),
           [1, 4, 4])
    export("no_bias_batchnorm_first", nn.Sequential(nn.BatchNorm1d(6), nn.Tanh(), nn.Linear(6, 4, bias=False),
                                                    nn.ReLU(), nn.Linear(4, 3)), [6])
    export("relu_tanh_softmax_opset13", nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3),
                                                      nn.Softmax(dim=1)), [6], opset=13)
    export("double_gelu_batchnorm", nn.Sequential(nn.Linear(5, 9), nn.BatchNorm1d(9), nn.GELU(approximate="tanh"),
                                                  nn.Linear(9, 4), nn.ELU(), nn.Linear(4, 2)), [5],
           dtype=torch.float64)
    # Convolutions: same and asymmetric padding, stride, dilation, max and average pooling (padding left out of the
    # divisor, as the layer does), flatten, a dense head; and one with a bias-free stride-2 convolution, a 1x1
    # convolution and global average pooling (AdaptiveAvgPool2d(1) exports as GlobalAveragePool).
    export("cnn_pool_flatten", nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 5, (3, 2), stride=(1, 2), dilation=(2, 1), padding=(2, 1)), nn.Tanh(),
        nn.AvgPool2d(2, stride=1, padding=1, count_include_pad=False), nn.Flatten(), nn.Linear(120, 3)), [2, 10, 9])
    export("cnn_global_pool", nn.Sequential(
        nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False), nn.ReLU(), nn.Conv2d(4, 3, 1), nn.Sigmoid(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(3, 2)), [3, 8, 7])


if __name__ == "__main__":
    main()
