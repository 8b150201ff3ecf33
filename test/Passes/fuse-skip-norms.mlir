// RUN: tfm-opt %s --tfm-fuse-skip-norms --split-input-file | FileCheck %s

// Post-norm (BERT's embeddings): the add feeds only the norm.
// CHECK-LABEL: func.func @post_norm
// CHECK-SAME: (%[[A:.*]]: tensor<2x8xf32>, %[[B:.*]]: tensor<2x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[BETA:.*]]: tensor<8xf32>)
// CHECK: %[[Y:.*]], %{{.*}} = tfm.layer_norm %[[A]] residual(%[[B]]) scale(%[[G]]) bias(%[[BETA]]) axes = [1]
// CHECK-NOT: tfm.add
// CHECK: return %[[Y]]
func.func @post_norm(%a: tensor<2x8xf32>, %b: tensor<2x8xf32>, %g: tensor<8xf32>, %beta: tensor<8xf32>) -> tensor<2x8xf32> {
  %s = tfm.add %a, %b : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = tfm.layer_norm %s scale(%g) bias(%beta) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Pre-norm (the residual stream goes on): the add's other users read the
// sum the norm returns.
// CHECK-LABEL: func.func @pre_norm
// CHECK-SAME: (%[[A:.*]]: tensor<2x8xf32>, %[[B:.*]]: tensor<2x8xf32>)
// CHECK: %[[Y:.*]], %[[S:.*]] = tfm.rms_norm %[[A]] residual(%[[B]]) axes = [1]
// CHECK: %[[Z:.*]] = tfm.mul %[[Y]], %[[S]]
// CHECK: return %[[Z]], %[[S]]
func.func @pre_norm(%a: tensor<2x8xf32>, %b: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %s = tfm.add %a, %b : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = tfm.rms_norm %s axes = [1] epsilon = 1.0e-6 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %z = tfm.mul %y, %s : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %z, %s : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Negative: a broadcast operand (the position embeddings of GPT-2) is not
// a residual of the input's type.
// CHECK-LABEL: func.func @broadcast
// CHECK: tfm.add
// CHECK: tfm.layer_norm %{{.*}} axes
func.func @broadcast(%a: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %s = tfm.add %a, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %y = tfm.layer_norm %s axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Negative: an add of a linear's (or a matmul's) result belongs to that
// product's epilogue (tfm-fuse-linear).
// CHECK-LABEL: func.func @epilogue_first
// CHECK-COUNT-2: tfm.add
// CHECK-NOT: residual(
func.func @epilogue_first(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %r: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %l = tfm.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %s = tfm.add %l, %r : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = tfm.layer_norm %s axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %m = tfm.matmul %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %s2 = tfm.add %r, %m : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y2 = tfm.rms_norm %s2 axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y, %y2 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// A linear that already has its residual takes no second one: the add after
// it goes into the norm.
// CHECK-LABEL: func.func @closed_epilogue
// CHECK: %[[L:.*]] = tfm.linear
// CHECK: tfm.layer_norm %[[L]] residual(
func.func @closed_epilogue(%x: tensor<2x8xf32>, %w: tensor<8x8xf32>, %r: tensor<2x8xf32>, %r2: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %l = tfm.linear %x, %w residual(%r) : (tensor<2x8xf32>, tensor<8x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %s = tfm.add %l, %r2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = tfm.layer_norm %s axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Negative: a norm that already has a residual is left alone.
// CHECK-LABEL: func.func @has_residual
// CHECK: tfm.add
// CHECK: tfm.layer_norm %{{.*}} residual(
func.func @has_residual(%a: tensor<2x8xf32>, %b: tensor<2x8xf32>, %c: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %s = tfm.add %a, %b : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y:2 = tfm.layer_norm %s residual(%c) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  return %y#0 : tensor<2x8xf32>
}
