// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s

// layer_norm: sum, sum of squared deviations from the mean, then
// (x - mean) * rsqrt(var + eps) * scale + bias; statistics are indexed by
// the leading dimensions, scale and bias by the normalized ones.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK: #[[STAT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK: #[[PARAM:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]]
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]], #[[STAT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[SUM]]
// CHECK: arith.constant 1.250000e-01 : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[STAT]], #[[STAT]], #[[PARAM]], #[[PARAM]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[SUM]], %[[SQ]], %[[G]], %[[B]]
// CHECK: arith.constant 9.99999996E-13 : f32
// CHECK: math.rsqrt
func.func @layer_norm(%x: tensor<2x4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x4x8xf32> {
  %0 = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-12
      : (tensor<2x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

// Without scale or bias, over two axes.
// CHECK-LABEL: func.func @layer_norm_plain
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<2xf32>, tensor<2xf32>)
func.func @layer_norm_plain(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %0 = tfm.layer_norm %x axes = [1, 2] epsilon = 1.0e-5 : (tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

// rms_norm: sum of squares, then x * rsqrt(mean + eps) * scale; f16 in f32.
// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf16>, %[[G:.*]]: tensor<8xf16>)
// CHECK: %[[SS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x8xf16>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[W:.*]] = arith.extf
// CHECK: arith.mulf %[[W]], %[[W]]
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[SS]], %[[G]] : tensor<2x8xf16>, tensor<2xf32>, tensor<8xf16>)
// CHECK: math.rsqrt
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @rms_norm(%x: tensor<2x8xf16>, %g: tensor<8xf16>) -> tensor<2x8xf16> {
  %0 = tfm.rms_norm %x scale(%g) axes = [1] epsilon = 1.0e-6 : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

// A skip-norm adds the residual first (the sum is the second result), then
// normalizes the sum.
// CHECK-LABEL: func.func @skip_layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[R:.*]]: tensor<2x8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[R]] : tensor<2x8xf32>, tensor<2x8xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x8xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[SUM]], %{{.*}}, %{{.*}} : tensor<2x8xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: return %[[Y]], %[[SUM]]
func.func @skip_layer_norm(%x: tensor<2x8xf32>, %r: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %0:2 = tfm.layer_norm %x residual(%r) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  return %0#0, %0#1 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @skip_rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf16>, %[[R:.*]]: tensor<2x8xf16>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[R]] : tensor<2x8xf16>, tensor<2x8xf16>)
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.truncf
// CHECK: %[[SS:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x8xf16>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[SS]] : tensor<2x8xf16>, tensor<2xf32>)
func.func @skip_rms_norm(%x: tensor<2x8xf16>, %r: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %0:2 = tfm.rms_norm %x residual(%r) axes = [1] epsilon = 1.0e-6 : (tensor<2x8xf16>, tensor<2x8xf16>) -> (tensor<2x8xf16>, tensor<2x8xf16>)
  return %0#0 : tensor<2x8xf16>
}
