// RUN: tfm-opt %s -split-input-file -tfm-fuse-kv-cache | FileCheck %s

// The exporter's append, read by attention: attention reads the new rows
// with the past as its own operands; the append stays for the present
// output.
// CHECK-LABEL: func.func @decode_step
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x1x8xf32>, %[[K:.*]]: tensor<1x2x1x8xf32>, %[[V:.*]]: tensor<1x2x1x8xf32>, %[[PK:.*]]: tensor<1x2x15x8xf32>, %[[PV:.*]]: tensor<1x2x15x8xf32>, %[[M:.*]]: tensor<1x1x1x16xf32>)
func.func @decode_step(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x1x8xf32>, %v: tensor<1x2x1x8xf32>, %pk: tensor<1x2x15x8xf32>, %pv: tensor<1x2x15x8xf32>, %m: tensor<1x1x1x16xf32>) -> (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>) {
  // CHECK: %[[KK:.*]] = tfm.concat %[[PK]], %[[K]] axis = 2
  // CHECK: tfm.attention %[[Q]], %[[K]], %[[V]] past(%[[PK]], %[[PV]]) mask(%[[M]]) heads = 4 kv_heads = 2
  // CHECK: return %{{.*}}, %[[KK]]
  %kk = tfm.concat %pk, %k axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %vv = tfm.concat %pv, %v axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %0 = tfm.attention %q, %kk, %vv mask(%m) heads = 4 kv_heads = 2 : (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>, tensor<1x1x1x16xf32>) -> tensor<1x4x1x8xf32>
  return %0, %kk : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>
}

// -----

// Packed heads [B, S, H*D] append along axis 1.
// CHECK-LABEL: func.func @packed
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} past(%{{.*}}, %{{.*}}) heads = 2 kv_heads = 2 causal
func.func @packed(%q: tensor<1x3x16xf32>, %k: tensor<1x3x16xf32>, %pk: tensor<1x5x16xf32>) -> tensor<1x3x16xf32> {
  %kk = tfm.concat %pk, %k axis = 1 : (tensor<1x5x16xf32>, tensor<1x3x16xf32>) -> tensor<1x8x16xf32>
  %0 = tfm.attention %q, %kk, %kk heads = 2 kv_heads = 2 causal : (tensor<1x3x16xf32>, tensor<1x8x16xf32>, tensor<1x8x16xf32>) -> tensor<1x3x16xf32>
  return %0 : tensor<1x3x16xf32>
}

// -----

// Not an append along the sequence: concatenated heads stay as they are;
// so do keys appended but values not.
// CHECK-LABEL: func.func @not_a_cache
// CHECK-NOT: past(
func.func @not_a_cache(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x4x4x8xf32>, %w: tensor<1x2x8x8xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  %kk = tfm.concat %k, %k axis = 1 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x4x4x8xf32>
  %0 = tfm.attention %q, %kk, %v heads = 4 kv_heads = 4 : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %k2 = tfm.concat %k, %k axis = 2 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %1 = tfm.attention %q, %k2, %w heads = 4 kv_heads = 2 : (tensor<1x4x4x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x4x4x8xf32>
  return %0, %1 : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
}

// -----

// A cache stored in f16 (tfm-narrow-kv-cache), extended for its readers:
// attention reads it narrow, in place; the extension stays for the present.
// CHECK-LABEL: func.func @narrow_cache
// CHECK-SAME: %[[PK:[^:]*]]: tensor<1x2x15x8xf16>, %[[PV:[^:]*]]: tensor<1x2x15x8xf16>
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} past(%[[PK]], %[[PV]]) heads = 4 kv_heads = 2
func.func @narrow_cache(%q: tensor<1x4x1x8xf32>, %k: tensor<1x2x1x8xf32>, %v: tensor<1x2x1x8xf32>, %pk: tensor<1x2x15x8xf16>, %pv: tensor<1x2x15x8xf16>) -> (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>) {
  %pk32 = tfm.cast %pk : tensor<1x2x15x8xf16> to tensor<1x2x15x8xf32>
  %pv32 = tfm.cast %pv : tensor<1x2x15x8xf16> to tensor<1x2x15x8xf32>
  %kk = tfm.concat %pk32, %k axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %vv = tfm.concat %pv32, %v axis = 2 : (tensor<1x2x15x8xf32>, tensor<1x2x1x8xf32>) -> tensor<1x2x16x8xf32>
  %0 = tfm.attention %q, %kk, %vv heads = 4 kv_heads = 2 : (tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>, tensor<1x2x16x8xf32>) -> tensor<1x4x1x8xf32>
  return %0, %kk : tensor<1x4x1x8xf32>, tensor<1x2x16x8xf32>
}

// -----

// A key cache and a value cache of different narrow types: the past stays
// extended.
// CHECK-LABEL: func.func @not_narrow
// CHECK: tfm.attention %{{.*}}, %{{.*}}, %{{.*}} past(%{{.*}}, %{{.*}}) heads = 2 kv_heads = 2 :
// CHECK-SAME: tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>)
func.func @not_narrow(%q: tensor<1x2x1x8xf32>, %k: tensor<1x2x1x8xf32>, %pk: tensor<1x2x3x8xf16>, %pv: tensor<1x2x3x8xbf16>) -> tensor<1x2x1x8xf32> {
  %pk32 = tfm.cast %pk : tensor<1x2x3x8xf16> to tensor<1x2x3x8xf32>
  %pv32 = tfm.cast %pv : tensor<1x2x3x8xbf16> to tensor<1x2x3x8xf32>
  %0 = tfm.attention %q, %k, %k past(%pk32, %pv32) heads = 2 kv_heads = 2 : (tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x1x8xf32>
  return %0 : tensor<1x2x1x8xf32>
}
