// RUN: tfm-opt %s --tfm-fuse-rope --split-input-file | FileCheck %s

// LLaMA's rotate_half with constant [1, 1, S, D] tables whose halves repeat.
// CHECK-LABEL: func.func @rotate_half
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x4xf32>)
// CHECK-DAG: %[[C:.*]] = tfm.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[S:.*]] = tfm.constant dense<{{\[}}[5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[Y:.*]] = tfm.rope %[[X]], %[[C]], %[[S]] :
// CHECK-NEXT: return %[[Y]]
func.func @rotate_half(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %cos = tfm.constant dense<[[[[1.0, 2.0, 1.0, 2.0], [3.0, 4.0, 3.0, 4.0]]]]> : tensor<1x1x2x4xf32>
  %sin = tfm.constant dense<[[[[5.0, 6.0, 5.0, 6.0], [7.0, 8.0, 7.0, 8.0]]]]> : tensor<1x1x2x4xf32>
  %a = tfm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %hi = tfm.slice %x starts = [0, 0, 0, 2] limits = [1, 2, 2, 4] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %n = tfm.neg %hi : tensor<1x2x2x2xf32>
  %lo = tfm.slice %x starts = [0, 0, 0, 0] limits = [1, 2, 2, 2] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %r = tfm.concat %n, %lo axis = 3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %b = tfm.mul %sin, %r : (tensor<1x1x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = tfm.add %b, %a : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// The LLaMA past export computes the angles from the position ids: the
// tables are cos(cat(f, f)) and sin(cat(f, f)), whose halves are cos(f)
// and sin(f).
// CHECK-LABEL: func.func @angles_from_positions
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x4xf32>, %[[F:.*]]: tensor<1x2x2xf32>)
// CHECK-DAG: %[[CF:.*]] = tfm.cos %[[F]] : tensor<1x2x2xf32>
// CHECK-DAG: %[[SF:.*]] = tfm.sin %[[F]] : tensor<1x2x2xf32>
// CHECK-DAG: %[[C:.*]] = tfm.reshape %[[CF]] : tensor<1x2x2xf32> -> tensor<2x2xf32>
// CHECK-DAG: %[[S:.*]] = tfm.reshape %[[SF]] : tensor<1x2x2xf32> -> tensor<2x2xf32>
// CHECK: tfm.rope %[[X]], %[[C]], %[[S]] :
func.func @angles_from_positions(%x: tensor<1x2x2x4xf32>, %f: tensor<1x2x2xf32>) -> tensor<1x2x2x4xf32> {
  %emb = tfm.concat %f, %f axis = 2 : (tensor<1x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x2x4xf32>
  %c = tfm.cos %emb : tensor<1x2x4xf32>
  %cos = tfm.reshape %c : tensor<1x2x4xf32> -> tensor<1x1x2x4xf32>
  %s = tfm.sin %emb : tensor<1x2x4xf32>
  %sin = tfm.reshape %s : tensor<1x2x4xf32> -> tensor<1x1x2x4xf32>
  %a = tfm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %hi = tfm.slice %x starts = [0, 0, 0, 2] limits = [1, 2, 2, 4] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %n = tfm.neg %hi : tensor<1x2x2x2xf32>
  %lo = tfm.slice %x starts = [0, 0, 0, 0] limits = [1, 2, 2, 2] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %r = tfm.concat %n, %lo axis = 3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %b = tfm.mul %r, %sin : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = tfm.add %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// Negative: the halves of the table differ, so it is not a rotary table of
// the half-split form.
// CHECK-LABEL: func.func @unequal_halves
// CHECK-NOT: tfm.rope
func.func @unequal_halves(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %cos = tfm.constant dense<[[[[1.0, 2.0, 1.0, 9.0], [3.0, 4.0, 3.0, 4.0]]]]> : tensor<1x1x2x4xf32>
  %sin = tfm.constant dense<[[[[5.0, 6.0, 5.0, 6.0], [7.0, 8.0, 7.0, 8.0]]]]> : tensor<1x1x2x4xf32>
  %a = tfm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %hi = tfm.slice %x starts = [0, 0, 0, 2] limits = [1, 2, 2, 4] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %n = tfm.neg %hi : tensor<1x2x2x2xf32>
  %lo = tfm.slice %x starts = [0, 0, 0, 0] limits = [1, 2, 2, 2] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %r = tfm.concat %n, %lo axis = 3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %b = tfm.mul %r, %sin : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = tfm.add %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// Negative: the negated half is the lower one (rotation the other way).
// CHECK-LABEL: func.func @wrong_half_negated
// CHECK-NOT: tfm.rope
func.func @wrong_half_negated(%x: tensor<1x2x2x4xf32>, %cos: tensor<1x1x2x4xf32>, %sin: tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %a = tfm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %lo = tfm.slice %x starts = [0, 0, 0, 0] limits = [1, 2, 2, 2] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %n = tfm.neg %lo : tensor<1x2x2x2xf32>
  %hi = tfm.slice %x starts = [0, 0, 0, 2] limits = [1, 2, 2, 4] strides = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %r = tfm.concat %n, %hi axis = 3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %b = tfm.mul %r, %sin : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = tfm.add %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// A run-time sequence: the slices keep all of the sequence (their limit is
// its tensor.dim, as the dynamic import gives a slice to the end).
// CHECK-LABEL: func.func @dynamic_sequence
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x?x4xf32>, %[[F:.*]]: tensor<1x?x2xf32>)
// CHECK-DAG: %[[CF:.*]] = tfm.cos %[[F]] : tensor<1x?x2xf32>
// CHECK-DAG: %[[C:.*]] = tfm.reshape %[[CF]] : tensor<1x?x2xf32> -> tensor<?x2xf32>
// CHECK: tfm.rope %[[X]], %[[C]], %{{.*}} : (tensor<1x2x?x4xf32>, tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<1x2x?x4xf32>
func.func @dynamic_sequence(%x: tensor<1x2x?x4xf32>, %f: tensor<1x?x2xf32>) -> tensor<1x2x?x4xf32> {
  %c2 = arith.constant 2 : index
  %emb = tfm.concat %f, %f axis = 2 : (tensor<1x?x2xf32>, tensor<1x?x2xf32>) -> tensor<1x?x4xf32>
  %c = tfm.cos %emb : tensor<1x?x4xf32>
  %cos = tfm.reshape %c : tensor<1x?x4xf32> -> tensor<1x1x?x4xf32>
  %s = tfm.sin %emb : tensor<1x?x4xf32>
  %sin = tfm.reshape %s : tensor<1x?x4xf32> -> tensor<1x1x?x4xf32>
  %a = tfm.mul %x, %cos : (tensor<1x2x?x4xf32>, tensor<1x1x?x4xf32>) -> tensor<1x2x?x4xf32>
  %len = tensor.dim %x, %c2 : tensor<1x2x?x4xf32>
  %hi = tfm.slice %x starts = [0, 0, 0, 2] limits = [1, 2, %len, 4] strides = [1, 1, 1, 1] : tensor<1x2x?x4xf32> -> tensor<1x2x?x2xf32>
  %n = tfm.neg %hi : tensor<1x2x?x2xf32>
  %lo = tfm.slice %x starts = [0, 0, 0, 0] limits = [1, 2, %len, 2] strides = [1, 1, 1, 1] : tensor<1x2x?x4xf32> -> tensor<1x2x?x2xf32>
  %r = tfm.concat %n, %lo axis = 3 : (tensor<1x2x?x2xf32>, tensor<1x2x?x2xf32>) -> tensor<1x2x?x4xf32>
  %b = tfm.mul %r, %sin : (tensor<1x2x?x4xf32>, tensor<1x1x?x4xf32>) -> tensor<1x2x?x4xf32>
  %y = tfm.add %a, %b : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  return %y : tensor<1x2x?x4xf32>
}

// -----

// Negative: a run-time limit that is not the sequence's size may stop short
// of it (the slices then are not halves of every head).
// CHECK-LABEL: func.func @dynamic_limit_not_the_size
// CHECK-NOT: tfm.rope
func.func @dynamic_limit_not_the_size(%x: tensor<1x2x?x4xf32>, %f: tensor<1x?x2xf32>, %len: index) -> tensor<1x2x?x4xf32> {
  %emb = tfm.concat %f, %f axis = 2 : (tensor<1x?x2xf32>, tensor<1x?x2xf32>) -> tensor<1x?x4xf32>
  %c = tfm.cos %emb : tensor<1x?x4xf32>
  %cos = tfm.reshape %c : tensor<1x?x4xf32> -> tensor<1x1x?x4xf32>
  %s = tfm.sin %emb : tensor<1x?x4xf32>
  %sin = tfm.reshape %s : tensor<1x?x4xf32> -> tensor<1x1x?x4xf32>
  %a = tfm.mul %x, %cos : (tensor<1x2x?x4xf32>, tensor<1x1x?x4xf32>) -> tensor<1x2x?x4xf32>
  %hi = tfm.slice %x starts = [0, 0, 0, 2] limits = [1, 2, %len, 4] strides = [1, 1, 1, 1] : tensor<1x2x?x4xf32> -> tensor<1x2x?x2xf32>
  %n = tfm.neg %hi : tensor<1x2x?x2xf32>
  %lo = tfm.slice %x starts = [0, 0, 0, 0] limits = [1, 2, %len, 2] strides = [1, 1, 1, 1] : tensor<1x2x?x4xf32> -> tensor<1x2x?x2xf32>
  %r = tfm.concat %n, %lo axis = 3 : (tensor<1x2x?x2xf32>, tensor<1x2x?x2xf32>) -> tensor<1x2x?x4xf32>
  %b = tfm.mul %r, %sin : (tensor<1x2x?x4xf32>, tensor<1x1x?x4xf32>) -> tensor<1x2x?x4xf32>
  %y = tfm.add %a, %b : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  return %y : tensor<1x2x?x4xf32>
}
