"""Times scikit-learn's MLPClassifier (256, 128) on Fashion-MNIST, for the comparison in docs/benchmarks.md.

Run with Debian's interpreter (python3-sklearn): /usr/bin/python3 samples/FashionMnist/compare/sklearn_mlp.py [max_iter ...]
Pixels are scaled to [0, 1]; every other setting is scikit-learn's default (Adam, lr 0.001, batch 200, alpha 1e-4).
"""
import gzip
import struct
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

DATA = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(f"{DATA}/{name}.gz", "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = idx("train-images-idx3-ubyte").reshape(60000, -1).astype(np.float32) / 255
y_train = idx("train-labels-idx1-ubyte")
x_test = idx("t10k-images-idx3-ubyte").reshape(10000, -1).astype(np.float32) / 255
y_test = idx("t10k-labels-idx1-ubyte")
warnings.simplefilter("ignore", ConvergenceWarning)
for max_iter in [int(a) for a in sys.argv[1:]] or [10, 20]:
    model = MLPClassifier(hidden_layer_sizes=(256, 128), max_iter=max_iter, random_state=42)
    start = time.perf_counter()
    model.fit(x_train, y_train)
    seconds = time.perf_counter() - start
    print(f"max_iter {max_iter:3d}: {seconds:6.1f} s of training, test accuracy {model.score(x_test, y_test):.4f}", flush=True)
