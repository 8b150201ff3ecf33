// RUN: tfm-opt %s --convert-tfm-to-linalg --split-input-file | FileCheck %s

// A reduction drops its axes; keepdims restores them as unit dimensions.
// CHECK: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: outs(%[[ZERO]] : tensor<2x4xf32>)
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[SUM]] {{\[}}[0], [1, 2]] output_shape [2, 1, 4]
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = tfm.reduce_sum %x axes = [1] keepdims : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// f16 sums accumulate in f32; the mean divides by the count, then rounds.
// CHECK-LABEL: func.func @reduce_mean
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @reduce_mean(%x: tensor<2x8xf16>) -> tensor<2xf16> {
  %0 = tfm.reduce_mean %x axes = [1] : (tensor<2x8xf16>) -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

// max/min start from the type's extreme value, with signed or unsigned
// comparison.
// CHECK-LABEL: func.func @reduce_max_min
// CHECK: %[[MIN:.*]] = arith.constant -2147483648 : i32
// CHECK: linalg.fill ins(%[[MIN]] : i32) outs(%{{.*}} : tensor<i32>)
// CHECK: iterator_types = ["reduction", "reduction"]
// CHECK: arith.maxsi
// CHECK: %[[UMAX:.*]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[UMAX]] : i8)
// CHECK: arith.minui
func.func @reduce_max_min(%x: tensor<4x5xi32>, %u: tensor<4x5xui8>) -> (tensor<i32>, tensor<4xui8>) {
  %0 = tfm.reduce_max %x axes = [0, 1] : (tensor<4x5xi32>) -> tensor<i32>
  %1 = tfm.reduce_min %u axes = [1] : (tensor<4x5xui8>) -> tensor<4xui8>
  return %0, %1 : tensor<i32>, tensor<4xui8>
}

// -----

// softmax: row maximum, sum of exp(x - max), then exp(x - max) / sum.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x8xf32>) outs(%[[MINIT]] : tensor<2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : tensor<2x8xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<2x8xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: %[[E:.*]] = math.exp
// CHECK: arith.divf %[[E]]
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = tfm.softmax %x axis = 1 : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// log_softmax along a leading axis: x - max - log(sum).
// CHECK: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @log_softmax
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[M:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SHIFTED:.*]] = arith.subf %[[IN]], %[[M]]
// CHECK: %[[LOG:.*]] = math.log %[[S]]
// CHECK: arith.subf %[[SHIFTED]], %[[LOG]]
func.func @log_softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = tfm.log_softmax %x axis = 0 : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// argmax: one reduction carrying the best value and its position
// (linalg.index); a later element replaces it when strictly greater (or
// equal, with select_last_index), a NaN beats numbers, and the first
// element always takes the initial value's place.
// CHECK-LABEL: func.func @argmax
// CHECK: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[LOW]] : f32)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<4x5xf32>) outs(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xi64>)
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: arith.cmpf uno
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: linalg.yield
// CHECK-LABEL: func.func @argmin_last
// CHECK: arith.cmpi ule
func.func @argmax(%x: tensor<4x5xf32>) -> tensor<4xi64> {
  %0 = tfm.argmax %x axis = 1 : (tensor<4x5xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
func.func @argmin_last(%u: tensor<4x5xui8>) -> tensor<1x5xi64> {
  %0 = tfm.argmin %u axis = 0 keepdims select_last_index : (tensor<4x5xui8>) -> tensor<1x5xi64>
  return %0 : tensor<1x5xi64>
}

// -----

// reduce_prod starts from 1 and multiplies, f16 in f32.
// CHECK-LABEL: func.func @reduce_prod
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]] : f32)
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.truncf
// CHECK: %[[IONE:.*]] = arith.constant 1 : i32
// CHECK: linalg.fill ins(%[[IONE]] : i32)
// CHECK: arith.muli
func.func @reduce_prod(%x: tensor<4x5xf16>, %i: tensor<4x5xi32>) -> (tensor<4xf16>, tensor<5xi32>) {
  %0 = tfm.reduce_prod %x axes = [1] : (tensor<4x5xf16>) -> tensor<4xf16>
  %1 = tfm.reduce_prod %i axes = [0] : (tensor<4x5xi32>) -> tensor<5xi32>
  return %0, %1 : tensor<4xf16>, tensor<5xi32>
}

// -----

// avg_pool: the zero-padded input summed per window (the kernel-shaped empty
// tensor sizes the window loop), then divided by each window's taps inside
// the input: the first window sees the padding and one element.
// CHECK-DAG: #[[WIN_IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + d3)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 0]
// CHECK: %[[K:.*]] = tensor.empty() : tensor<2xf32>
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[WIN_IN]], #[[WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]], %[[K]] : tensor<1x2x6xf32>, tensor<2xf32>)
// CHECK: arith.addf
// CHECK: %[[D:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[S]], %[[D]] : tensor<1x2x3xf32>, tensor<3xf32>)
// CHECK: arith.divf
func.func @avg_pool(%x: tensor<1x2x5xf32>) -> tensor<1x2x3xf32> {
  %0 = tfm.avg_pool %x kernel = [2] strides = [2] padding = [1, 0] dilations = [1] ceil_mode : (tensor<1x2x5xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

// max_pool on unsigned bytes: no padding, 0 is the lowest value, maxui.
// CHECK-LABEL: func.func @max_pool_unsigned
// CHECK-NOT: tensor.pad
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: arith.maxui
func.func @max_pool_unsigned(%x: tensor<1x2x5xui8>) -> tensor<1x2x2xui8> {
  %0 = tfm.max_pool %x kernel = [2] strides = [2] padding = [0, 0] dilations = [1] : (tensor<1x2x5xui8>) -> tensor<1x2x2xui8>
  return %0 : tensor<1x2x2xui8>
}

// -----

// max_pool on floats pads with -inf; a ceil-mode window reaching past the
// explicit padding gets more of it (4 + 1 + 1 = 6, the last window needs 7).
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 2]
// CHECK: tensor.yield %[[NINF]]
// CHECK: arith.maximumf
func.func @max_pool_ceil(%x: tensor<1x1x4xf32>) -> tensor<1x1x3xf32> {
  %0 = tfm.max_pool %x kernel = [3] strides = [2] padding = [1, 1] dilations = [1] ceil_mode : (tensor<1x1x4xf32>) -> tensor<1x1x3xf32>
  return %0 : tensor<1x1x3xf32>
}

// -----

// cumsum: a loop along the (dynamic) axis carrying the running sum and the
// result; each step adds one slice and writes one.
// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: (%[[X:.*]]: tensor<2x?xi64>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[ACC:.*]] = linalg.fill {{.*}} -> tensor<2xi64>
// CHECK: scf.for %[[I:.*]] = %c0{{.*}} to %[[N]] step %c1{{.*}} iter_args(%[[A:.*]] = %[[ACC]], %[[O:.*]] = %{{.*}}) -> (tensor<2xi64>, tensor<2x?xi64>)
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[X]][0, %[[I]]] [2, 1] [1, 1] : tensor<2x?xi64> to tensor<2xi64>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[ROW]] : tensor<2xi64>, tensor<2xi64>)
// CHECK: arith.addi
// CHECK: %[[W:.*]] = tensor.insert_slice %[[SUM]] into %[[O]][0, %[[I]]] [2, 1] [1, 1]
// CHECK: scf.yield %[[SUM]], %[[W]]
func.func @cumsum(%x: tensor<2x?xi64>) -> tensor<2x?xi64> {
  %0 = tfm.cumsum %x axis = 1 : tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

// -----

// Exclusive and reverse: the slice index counts down from the end and the
// written slice is the sum before the step; f16 sums in f32.
// CHECK-LABEL: func.func @cumsum_exclusive_reverse
// CHECK: scf.for %[[I:.*]] = {{.*}} iter_args(%[[A:.*]] = %{{.*}}, %[[O:.*]] = %{{.*}}) -> (tensor<3xf32>, tensor<4x3xf16>)
// CHECK: %[[J:.*]] = arith.subi %{{.*}}, %[[I]]
// CHECK: tensor.extract_slice %{{.*}}[%[[J]], 0] [1, 3] [1, 1] : tensor<4x3xf16> to tensor<3xf16>
// CHECK: arith.extf
// CHECK: %[[T:.*]] = linalg.generic {{.*}} ins(%[[A]] : tensor<3xf32>)
// CHECK: arith.truncf
// CHECK: tensor.insert_slice %[[T]] into %[[O]][%[[J]], 0]
func.func @cumsum_exclusive_reverse(%x: tensor<4x3xf16>) -> tensor<4x3xf16> {
  %0 = tfm.cumsum %x axis = 0 exclusive reverse : tensor<4x3xf16>
  return %0 : tensor<4x3xf16>
}
