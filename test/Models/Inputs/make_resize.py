#!/usr/bin/python3
"""Writes ONNX Resize and Upsample models with constant scales or sizes for
comparison with ONNX Runtime (each name tells the mode and coordinate
rule).

    make_resize.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# name, x shape, y shape, attributes, scales or None, sizes or None[,
# opset (13 unless given)]
CASES = [
    ("nearest_2x_floor", [1, 3, 4, 5], [1, 3, 8, 10],
     dict(mode="nearest", coordinate_transformation_mode="asymmetric",
          nearest_mode="floor"), [1.0, 1.0, 2.0, 2.0], None),
    ("linear_pytorch_down", [2, 2, 7, 9], [2, 2, 4, 5],
     dict(mode="linear", coordinate_transformation_mode="pytorch_half_pixel"),
     [1.0, 1.0, 0.6, 0.6], None),
    ("linear_align_corners_sizes", [1, 2, 5, 4], [1, 2, 9, 7],
     dict(mode="linear", coordinate_transformation_mode="align_corners"),
     None, [1, 2, 9, 7]),
    ("cubic_half_pixel", [1, 1, 6, 6], [1, 1, 9, 4],
     dict(mode="cubic", coordinate_transformation_mode="half_pixel"),
     None, [1, 1, 9, 4]),
    ("cubic_exclude_outside", [1, 1, 5, 7], [1, 1, 8, 11],
     dict(mode="cubic", cubic_coeff_a=-0.5, exclude_outside=1),
     [1.0, 1.0, 1.6, 1.6], None),
    ("nearest_ceil_tf", [1, 2, 5, 3], [1, 2, 8, 7],
     dict(mode="nearest", coordinate_transformation_mode="tf_half_pixel_for_nn",
          nearest_mode="round_prefer_ceil"), None, [1, 2, 8, 7]),
    # Resize-19's half_pixel_symmetric: 5 x 0.6 = 3 rows and 7 x 0.7 = 4.9
    # columns, of which 4 (the extent centered on the input's).
    ("linear_symmetric_down", [1, 1, 5, 7], [1, 1, 3, 4],
     dict(mode="linear", coordinate_transformation_mode="half_pixel_symmetric"),
     [1.0, 1.0, 0.6, 0.7], None, 19),
    ("cubic_symmetric_up", [1, 2, 4, 3], [1, 2, 6, 7],
     dict(mode="cubic", coordinate_transformation_mode="half_pixel_symmetric"),
     [1.0, 1.0, 1.7, 2.5], None, 19),
    # Resize-18's keep_aspect_ratio_policy over axes 2 and 3: not_larger
    # takes min(5/6, 5/4), 6 x 5/6 = 5 and 4 x 5/6 = 3.33 -> 3; not_smaller
    # max(3/4, 3/6), 4 x 0.75 = 3 and 6 x 0.75 = 4.5 -> 5 (half up).
    ("linear_not_larger", [1, 1, 6, 4], [1, 1, 5, 3],
     dict(mode="linear", keep_aspect_ratio_policy="not_larger", axes=[2, 3]),
     None, [5, 5], 18),
    ("nearest_not_smaller", [1, 2, 4, 6], [1, 2, 3, 5],
     dict(mode="nearest", keep_aspect_ratio_policy="not_smaller",
          axes=[2, 3]), None, [3, 3], 18),
    # Resize-18's antialias: the filter stretched by 1 / scale when
    # shrinking (windows of 5 and 4 here), the plain taps' window when
    # growing; edge positions read the edge, or are dropped with
    # exclude_outside.
    ("linear_antialias_down", [1, 1, 8, 9], [1, 1, 4, 5],
     dict(mode="linear", antialias=1), [1.0, 1.0, 0.5, 0.6], None, 18),
    ("cubic_antialias_down", [1, 2, 7, 10], [1, 2, 3, 4],
     dict(mode="cubic", antialias=1), None, [1, 2, 3, 4], 18),
    ("cubic_antialias_exclude_up", [1, 1, 4, 5], [1, 1, 6, 10],
     dict(mode="cubic", antialias=1, exclude_outside=1),
     [1.0, 1.0, 1.5, 2.0], None, 18),
    # tf_crop_and_resize over a constant region of interest (`_roi`: the
    # axes' starts, then their ends): inside the input; reaching past it
    # (those positions are extrapolation_value); over `axes` by scales (the
    # extents are floor(6 x 0.8) = 4 and floor(6 x 1.5) = 9, as ONNX
    # Runtime computes them, not scaled by the region's extent).
    ("linear_crop_sizes", [1, 1, 4, 5], [1, 1, 3, 3],
     dict(mode="linear", coordinate_transformation_mode="tf_crop_and_resize",
          _roi=[0, 0, 0.4, 0.6, 1, 1, 0.6, 0.8]), None, [1, 1, 3, 3]),
    ("nearest_crop_extrapolate", [1, 1, 5, 5], [1, 1, 4, 4],
     dict(mode="nearest", coordinate_transformation_mode="tf_crop_and_resize",
          extrapolation_value=10.0,
          _roi=[0, 0, -0.2, 0.1, 1, 1, 1.3, 0.9]), None, [1, 1, 4, 4]),
    ("cubic_crop_axes_scales", [1, 2, 6, 6], [1, 2, 4, 9],
     dict(mode="cubic", coordinate_transformation_mode="tf_crop_and_resize",
          axes=[2, 3], _roi=[0.1, 0.2, 0.9, 0.7]), [0.8, 1.5], None, 18),
    # A region of +-1e30: every position but the middle row is far outside.
    ("linear_crop_huge_roi", [1, 1, 4, 4], [1, 1, 3, 3],
     dict(mode="linear", coordinate_transformation_mode="tf_crop_and_resize",
          _roi=[0, 0, -1e30, 0, 1, 1, 1e30, 1]), None, [1, 1, 3, 3]),
    # A NaN in the region: refused (bad input, see resize.test).
    ("linear_crop_nan_roi", [1, 1, 4, 4], [1, 1, 3, 3],
     dict(mode="linear", coordinate_transformation_mode="tf_crop_and_resize",
          _roi=[0, 0, float("nan"), 0, 1, 1, 1, 1]), None, [1, 1, 3, 3]),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, x_shape, y_shape, attrs, scales, sizes, *opset in CASES:
        inits = []
        inputs = ["x", ""]
        attrs = dict(attrs)
        roi = attrs.pop("_roi", None)
        if roi is not None:
            inits.append(numpy_helper.from_array(
                np.array(roi, np.float32), "roi"))
            inputs[1] = "roi"
        if scales is not None:
            inits.append(numpy_helper.from_array(
                np.array(scales, np.float32), "scales"))
            inputs.append("scales")
        else:
            inputs.append("")
            inits.append(numpy_helper.from_array(
                np.array(sizes, np.int64), "sizes"))
            inputs.append("sizes")
        graph = helper.make_graph(
            [helper.make_node("Resize", inputs, ["y"], **attrs)], name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
            inits)
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", opset[0] if opset else 13)])
        model.ir_version = 8
        onnx.save(model, os.path.join(out, name + ".onnx"))
    # Upsample-9, nearest, scales as a constant input.
    graph = helper.make_graph(
        [helper.make_node("Upsample", ["x", "scales"], ["y"],
                          mode="nearest")], "upsample9",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 6, 12])],
        [numpy_helper.from_array(np.array([1, 1, 2, 3], np.float32),
                                 "scales")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 9)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, "upsample9.onnx"))


if __name__ == "__main__":
    main()
