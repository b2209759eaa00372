#!/usr/bin/python3
"""Writes conv-torch.json: forward outputs, loss and every parameter gradient of two small CNNs, computed by PyTorch
in double precision, for ConvTorchFixtureTests. Run with Debian's python3-torch:

    /usr/bin/python3 tests/NeuralNet.Tests/Layers/Fixtures/make_conv_fixtures.py

Layouts in the file are PyTorch's own (weights [out, in, kh, kw] and [out, in], inputs [batch, C, H, W]), each
flattened row-major; the test maps them to NeuralNet (which needs no reordering of weights, only the batch transpose).
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13)
torch.set_default_dtype(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def perturb_biases(model):
    # Default init already gives non-zero biases; scale up so bias gradients matter as much as weight gradients.
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)) and module.bias is not None:
                module.bias.mul_(3.0)


def record(name, model, layers, x, labels, input_shape):
    perturb_biases(model)
    logits = model(x)
    probabilities = F.softmax(logits, dim=1)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    params = []
    for index, module in layers:
        entry = {"layer": index, "weight": flat(module.weight), "weight_shape": list(module.weight.shape),
                 "weight_grad": flat(module.weight.grad)}
        if module.bias is not None:
            entry["bias"] = flat(module.bias)
            entry["bias_grad"] = flat(module.bias.grad)
        params.append(entry)
    return {
        "name": name,
        "input_shape": input_shape,
        "batch": x.shape[0],
        "input": flat(x),
        "labels": [int(v) for v in labels.tolist()],
        "probabilities": flat(probabilities),
        "loss": float(loss),
        "parameters": params,
    }


# Network A: conv 3x3 same + ReLU, max pool 2, conv (2x3, stride (2,1), padding 1, dilation (1,2)) + tanh,
# avg pool 2 stride 1, flatten, dense 3 + softmax.
conv_a1 = nn.Conv2d(2, 4, 3, padding=1)
conv_a2 = nn.Conv2d(4, 5, (2, 3), stride=(2, 1), padding=(1, 1), dilation=(1, 2))
dense_a = nn.Linear(5 * 2 * 1, 3)
model_a = nn.Sequential(conv_a1, nn.ReLU(), nn.MaxPool2d(2), conv_a2, nn.Tanh(),
                        nn.AvgPool2d(2, stride=1), nn.Flatten(), dense_a)
x_a = torch.randn(3, 2, 9, 8)
labels_a = torch.tensor([0, 2, 1])
network_a = record("a", model_a, [(0, conv_a1), (3, conv_a2), (6, dense_a)], x_a, labels_a, [2, 9, 8])

# Network B: zero pad (right 1, bottom 1) + conv 3x3 stride 2 (= Keras/NeuralNet "same" for 8 -> 4) + ReLU,
# max pool 3 stride 2 padding 1, conv 1x1 without bias, global average pool, dense 2 + softmax.
conv_b1 = nn.Conv2d(3, 6, 3, stride=2)
conv_b2 = nn.Conv2d(6, 4, 1, bias=False)
dense_b = nn.Linear(4, 2)
model_b = nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), conv_b1, nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1), conv_b2,
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), dense_b)
x_b = torch.randn(4, 3, 8, 8)
labels_b = torch.tensor([1, 0, 0, 1])
network_b = record("b", model_b, [(0, conv_b1), (2, conv_b2), (4, dense_b)], x_b, labels_b, [3, 8, 8])

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv-torch.json")
with open(path, "w") as f:
    json.dump({"generator": "make_conv_fixtures.py", "torch": torch.__version__, "networks": [network_a, network_b]}, f)
print(f"wrote {path} (torch {torch.__version__})")
