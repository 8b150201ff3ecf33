// RUN: tfm-opt %s -split-input-file -tfm-narrow-kv-cache 2>/dev/null | FileCheck %s
// RUN: tfm-opt %s -split-input-file -tfm-narrow-kv-cache -verify-diagnostics -o /dev/null
// RUN: tfm-opt %s -split-input-file -tfm-narrow-kv-cache=type=bf16 2>/dev/null | FileCheck %s --check-prefix=BF16

// The caches become f16 arguments, read extended to f32; the present
// results append the new rows rounded to f16; the function type follows.
// CHECK-LABEL: func.func @decode_step
// CHECK-SAME: (%{{[^:]*}}: tensor<1x4x1x8xf32>, %[[K:[^:]*]]: tensor<1x2x1x8xf32>, %[[V:[^:]*]]: tensor<1x2x1x8xf32>, %[[PK:[^:]*]]: tensor<1x2x15x8xf16> {tfm.name = "past.0.key"}, %[[PV:[^:]*]]: tensor<1x2x15x8xf16>)
// CHECK-SAME: -> (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf16> {tfm.name = "present.0.key"}, tensor<1x2x16x8xf16>)
// CHECK-DAG: %[[PV32:.*]] = tfm.cast %[[PV]] : tensor<1x2x15x8xf16> to tensor<1x2x15x8xf32>
// CHECK-DAG: %[[PK32:.*]] = tfm.cast %[[PK]] : tensor<1x2x15x8xf16> to tensor<1x2x15x8xf32>
// CHECK-DAG: %[[KK:.*]] = tfm.concat %[[PK32]], %[[K]] axis = 2
// CHECK-DAG: %[[VV:.*]] = tfm.concat %[[PV32]], %[[V]] axis = 2
// CHECK-DAG: tfm.attention %{{.*}}, %[[KK]], %[[VV]]
// CHECK-DAG: %[[K16:.*]] = tfm.cast %[[K]] : tensor<1x2x1x8xf32> to tensor<1x2x1x8xf16>
// CHECK-DAG: %[[PRESENT_K:.*]] = tfm.concat %[[PK]], %[[K16]] axis = 2 : (tensor<1x2x15x8xf16>, tensor<1x2x1x8xf16>) -> tensor<1x2x16x8xf16>
// CHECK-DAG: %[[V16:.*]] = tfm.cast %[[V]] : tensor<1x2x1x8xf32> to tensor<1x2x1x8xf16>
// CHECK-DAG: %[[PRESENT_V:.*]] = tfm.concat %[[PV]], %[[V16]] axis = 2
// CHECK: return %{{.*}}, %[[PRESENT_K]], %[[PRESENT_V]]
// BF16-LABEL: func.func @decode_step
// BF16-SAME: tensor<1x2x15x8xbf16> {tfm.name = "past.0.key"}, %{{.*}}: tensor<1x2x15x8xbf16>)
// BF16-SAME: -> (tensor<1x4x1x8xf32>, tensor<1x2x16x8xbf16> {tfm.name = "present.0.key"}, tensor<1x2x16x8xbf16>)
func.func @decode_step(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x1x8xf32>, %v: tensor<1x2x1x8xf32>, %pk: tensor<1x2x15x8xf32> {tfm.name = "past.0.key"}, %pv: tensor<1x2x15x8xf32>) -> (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32> {tfm.name = "present.0.key"}, tensor<1x2x16x8xf32>) {
  %kk = tfm.concat %pk, %k axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %vv = tfm.concat %pv, %v axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %0 = tfm.attention %q, %kk, %vv heads = 4 kv_heads = 2 : (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x4x1x8xf32>
  return %0, %kk, %vv : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>
}

// -----

// Packed heads append along axis 1; an argument two results append to is
// narrowed once.
// CHECK-LABEL: func.func @packed_twice
// CHECK-SAME: (%[[K:.*]]: tensor<1x3x16xf32>, %[[PK:.*]]: tensor<1x5x16xf16>) -> (tensor<1x8x16xf16>, tensor<1x8x16xf16>)
// CHECK-COUNT-1: tfm.cast %[[PK]]
// CHECK-NOT: tfm.cast %[[PK]]
func.func @packed_twice(%k: tensor<1x3x16xf32>, %pk: tensor<1x5x16xf32>) -> (tensor<1x8x16xf32>, tensor<1x8x16xf32>) {
  %kk = tfm.concat %pk, %k axis = 1 : (tensor<1x5x16xf32>, tensor<1x3x16xf32>) -> tensor<1x8x16xf32>
  return %kk, %kk : tensor<1x8x16xf32>, tensor<1x8x16xf32>
}

// -----

// Two results appending different rows to one argument: it is narrowed
// once, and both results append to it.
// CHECK-LABEL: func.func @two_appends
// CHECK-SAME: %[[PK:[^:]*]]: tensor<1x2x5x8xf16>) -> (tensor<1x2x6x8xf16>, tensor<1x2x6x8xf16>)
// CHECK: tfm.concat %[[PK]], %{{.*}} axis = 2
// CHECK: tfm.concat %[[PK]], %{{.*}} axis = 2
func.func @two_appends(%k: tensor<1x2x1x8xf32>, %pk: tensor<1x2x5x8xf32>) -> (tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) {
  %neg = tfm.neg %k : tensor<1x2x1x8xf32>
  %a = tfm.concat %pk, %k axis = 2 : (tensor<1x2x5x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x6x8xf32>
  %b = tfm.concat %pk, %neg axis = 2 : (tensor<1x2x5x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x6x8xf32>
  return %a, %b : tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
}

// -----

// Not caches: an append to a computed value, an append along another axis,
// and an f16 cache already. A function with none is warned about.
// CHECK-LABEL: func.func @not_caches
// CHECK-SAME: (%{{.*}}: tensor<1x2x1x8xf32>, %{{.*}}: tensor<1x2x15x8xf32>, %{{.*}}: tensor<1x2x15x8xf16>, %{{.*}}: tensor<2x2x1x8xf32>)
// CHECK-SAME: -> (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf16>, tensor<3x2x1x8xf32>)
// CHECK-NOT: xf16> to tensor
// expected-warning @+1 {{tfm-narrow-kv-cache: no key/value cache to narrow (no f32 argument that a result appends to along a sequence axis)}}
func.func @not_caches(%k: tensor<1x2x1x8xf32>, %pk: tensor<1x2x15x8xf32>, %p16: tensor<1x2x15x8xf16>, %b: tensor<2x2x1x8xf32>) -> (tensor<1x2x16x8xf32>, tensor<1x2x16x8xf16>, tensor<3x2x1x8xf32>) {
  %neg = tfm.neg %pk : tensor<1x2x15x8xf32>
  %a = tfm.concat %neg, %k axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %k16 = tfm.cast %k : tensor<1x2x1x8xf32> to tensor<1x2x1x8xf16>
  %c = tfm.concat %p16, %k16 axis = 2 : (tensor<1x2x15x8xf16>, tensor<1x2x1x8xf16>) -> tensor<1x2x16x8xf16>
  %d = tfm.concat %b, %k axis = 0 : (tensor<2x2x1x8xf32>, tensor<1x2x1x8xf32>) -> tensor<3x2x1x8xf32>
  return %a, %c, %d : tensor<1x2x16x8xf32>, tensor<1x2x16x8xf16>, tensor<3x2x1x8xf32>
}

// -----

// type=model leaves the function alone.
// RUN: tfm-opt %s -split-input-file -tfm-narrow-kv-cache=type=model | FileCheck %s --check-prefix=MODEL
// MODEL-LABEL: func.func @decode_step
// MODEL-SAME: tensor<1x2x15x8xf32> {tfm.name = "past.0.key"}
// MODEL-NOT: tfm.cast
// MODEL-LABEL: func.func @packed_twice
