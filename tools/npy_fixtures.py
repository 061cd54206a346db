#!/usr/bin/python3
"""Writes the NumPy fixtures under tests/data/fixtures/ (read by
tests/data/test_npy.cpp, which knows the values below; the tests do not run
Python). Run with Debian's numpy: /usr/bin/python3 tools/npy_fixtures.py"""
import os

import numpy as np
from numpy.lib import format as npf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "fixtures")
os.makedirs(OUT, exist_ok=True)


def save(name, a, version=None):
    with open(os.path.join(OUT, name), "wb") as f:
        npf.write_array(f, a, version=version, allow_pickle=True)


# x[i, j] = (3 i + j) / 4 - 1, labels 0 1 2 1
save("x_f32.npy", (np.arange(12, dtype=np.float32).reshape(4, 3) / 4 - 1).astype(np.float32))
save("y_i64.npy", np.array([0, 1, 2, 1], dtype=np.int64))
# NCHW uint8 images: element k = 10 k; labels 1 0 1
save("x_u8_nchw.npy", (np.arange(24) * 10).astype(np.uint8).reshape(3, 2, 2, 2))
save("y_u8.npy", np.array([1, 0, 1], dtype=np.uint8))
# Format 2.0 and 3.0 headers: x[i, j] = 0.1 * (3 i + j) in float64, labels 1 0
save("x_f64_v2.npy", np.arange(6, dtype=np.float64).reshape(2, 3) * 0.1, version=(2, 0))
save("y_i32_v3.npy", np.array([1, 0], dtype=np.int32), version=(3, 0))
# Refused: Fortran order, big-endian, Python objects
save("x_fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
save("x_big.npy", np.arange(6, dtype=">f4").reshape(2, 3))
save("x_object.npy", np.array([[1.0, "a"], [2.0, "b"]], dtype=object))
