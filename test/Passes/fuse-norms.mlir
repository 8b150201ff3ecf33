// RUN: tfm-opt %s --tfm-fuse-norms --split-input-file | FileCheck %s

// Opset < 17 LayerNorm: ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[Y:.*]] = tfm.layer_norm %[[X]] scale(%[[G]]) bias(%[[B]]) axes = [1] epsilon = 9.99999974E-6
// CHECK-NEXT: return %[[Y]]
func.func @layer_norm(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = tfm.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %p = tfm.pow %d, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = tfm.reduce_mean %p axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a = tfm.add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = tfm.sqrt %a : tensor<2x1xf32>
  %n = tfm.div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %y0 = tfm.mul %n, %g : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %y = tfm.add %y0, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// LLaMA's RMSNorm: x · (1 / sqrt(mean(x²) + ε)) · γ, with operands swapped.
// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8xf32>, %[[G:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[Y:.*]] = tfm.rms_norm %[[X]] scale(%[[G]]) axes = [2] epsilon = 9.99999997E-7
// CHECK-NEXT: return %[[Y]]
func.func @rms_norm(%x: tensor<1x4x8xf32>, %g: tensor<8xf32>) -> tensor<1x4x8xf32> {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %eps = tfm.constant dense<1.0e-6> : tensor<f32>
  %p = tfm.pow %x, %two : (tensor<1x4x8xf32>, tensor<f32>) -> tensor<1x4x8xf32>
  %v = tfm.reduce_mean %p axes = [2] keepdims : (tensor<1x4x8xf32>) -> tensor<1x4x1xf32>
  %a = tfm.add %eps, %v : (tensor<f32>, tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %s = tfm.sqrt %a : tensor<1x4x1xf32>
  %r = tfm.div %one, %s : (tensor<f32>, tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %n = tfm.mul %r, %x : (tensor<1x4x1xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %y = tfm.mul %g, %n : (tensor<8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// x · rsqrt(mean(x · x) + ε), no scale.
// CHECK-LABEL: func.func @rms_norm_rsqrt
// CHECK-NEXT: tfm.rms_norm %{{.*}} axes = [1] epsilon = 9.99999974E-6 :
// CHECK-NEXT: return
func.func @rms_norm_rsqrt(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %p = tfm.mul %x, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %v = tfm.reduce_mean %p axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a = tfm.add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %r = tfm.rsqrt %a : tensor<2x1xf32>
  %n = tfm.mul %x, %r : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %n : tensor<2x8xf32>
}

// -----

// Negative: ε added outside the square root.
// CHECK-LABEL: func.func @eps_outside_sqrt
// CHECK-NOT: tfm.rms_norm
// CHECK-NOT: tfm.layer_norm
// CHECK: tfm.sqrt
func.func @eps_outside_sqrt(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %p = tfm.pow %x, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = tfm.reduce_mean %p axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %s = tfm.sqrt %v : tensor<2x1xf32>
  %a = tfm.add %s, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %n = tfm.div %x, %a : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %n : tensor<2x8xf32>
}

// -----

// Negative: the mean is over a leading axis, not the trailing one.
// CHECK-LABEL: func.func @wrong_axis
// CHECK-NOT: tfm.rms_norm
// CHECK: tfm.reduce_mean
func.func @wrong_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %p = tfm.pow %x, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = tfm.reduce_mean %p axes = [0] keepdims : (tensor<2x8xf32>) -> tensor<1x8xf32>
  %a = tfm.add %v, %eps : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %s = tfm.sqrt %a : tensor<1x8xf32>
  %n = tfm.div %x, %s : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  return %n : tensor<2x8xf32>
}

// -----

// Negative: the variance is also a graph output, so it must stay; and the
// centered value's mean has another consumer, so no layer_norm either.
// CHECK-LABEL: func.func @extra_consumer
// CHECK-NOT: tfm.rms_norm
// CHECK-NOT: tfm.layer_norm
func.func @extra_consumer(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x1xf32>) {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = tfm.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %p = tfm.pow %d, %two : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = tfm.reduce_mean %p axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a = tfm.add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = tfm.sqrt %a : tensor<2x1xf32>
  %n = tfm.div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %n, %v : tensor<2x8xf32>, tensor<2x1xf32>
}

// -----

// Negative: a centered RMS norm whose mean is also used elsewhere stays an
// rms_norm of the difference.
// CHECK-LABEL: func.func @shared_mean
// CHECK: tfm.rms_norm
// CHECK-NOT: tfm.layer_norm
func.func @shared_mean(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x1xf32>) {
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = tfm.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %n = tfm.rms_norm %d axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %n, %m : tensor<2x8xf32>, tensor<2x1xf32>
}

// -----

// A scale and a bias computed after the norm, in a shape that needs a
// reshape: the norm moves down to them, so that its operands are defined
// before it.
// CHECK-LABEL: func.func @affine_defined_later
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[G:.*]]: tensor<1x4xf32>, %[[B:.*]]: tensor<1x4xf32>)
// CHECK: %[[G2:.*]] = tfm.exp %[[G]]
// CHECK: %[[B2:.*]] = tfm.tanh %[[B]]
// CHECK: %[[Y:.*]] = tfm.layer_norm %[[X]] scale(%{{.*}}) bias(%{{.*}})
// CHECK-NEXT: return %[[Y]]
func.func @affine_defined_later(%x: tensor<2x4xf32>, %g: tensor<1x4xf32>, %b: tensor<1x4xf32>) -> tensor<2x4xf32> {
  %0 = tfm.layer_norm %x axes = [1] epsilon = 1.0e-5 : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %g2 = tfm.exp %g : tensor<1x4xf32>
  %1 = tfm.mul %0, %g2 : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  %b2 = tfm.tanh %b : tensor<1x4xf32>
  %2 = tfm.add %1, %b2 : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}

// -----

// Over dynamic rows (a run-time sequence length).
// CHECK-LABEL: func.func @layer_norm_dynamic_rows
// CHECK-NEXT: %[[Y:.*]] = tfm.layer_norm %arg0 scale(%arg1) bias(%arg2) axes = [1] epsilon = {{.*}} : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @layer_norm_dynamic_rows(%x: tensor<?x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<?x8xf32>) -> tensor<?x1xf32>
  %d = tfm.sub %x, %m : (tensor<?x8xf32>, tensor<?x1xf32>) -> tensor<?x8xf32>
  %p = tfm.pow %d, %two : (tensor<?x8xf32>, tensor<f32>) -> tensor<?x8xf32>
  %v = tfm.reduce_mean %p axes = [1] keepdims : (tensor<?x8xf32>) -> tensor<?x1xf32>
  %a = tfm.add %v, %eps : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
  %s = tfm.sqrt %a : tensor<?x1xf32>
  %n = tfm.div %d, %s : (tensor<?x8xf32>, tensor<?x1xf32>) -> tensor<?x8xf32>
  %y0 = tfm.mul %n, %g : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %y = tfm.add %y0, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// ONNX's LayerNormalization function body (the `_expanded` node tests): the
// variance as E[x²] - E[x]², the deviation divided by the deviation's
// root; its affine parts then fold in as usual.
// CHECK-LABEL: func.func @moment_variance
// CHECK-SAME: (%[[X:.*]]: tensor<24x5xf32>, %[[W:.*]]: tensor<5xf32>, %[[B:.*]]: tensor<5xf32>)
// CHECK: %[[Y:.*]] = tfm.layer_norm %[[X]] scale(%[[W]]) bias(%[[B]]) axes = [1] epsilon = 9.99999974E-6
// CHECK-NOT: tfm.reduce_mean
// CHECK: return %[[Y]]
func.func @moment_variance(%x: tensor<24x5xf32>, %w: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<24x5xf32> {
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<24x5xf32>) -> tensor<24x1xf32>
  %sq = tfm.mul %x, %x : (tensor<24x5xf32>, tensor<24x5xf32>) -> tensor<24x5xf32>
  %msq = tfm.reduce_mean %sq axes = [1] keepdims : (tensor<24x5xf32>) -> tensor<24x1xf32>
  %m2 = tfm.mul %m, %m : (tensor<24x1xf32>, tensor<24x1xf32>) -> tensor<24x1xf32>
  %var = tfm.sub %msq, %m2 : (tensor<24x1xf32>, tensor<24x1xf32>) -> tensor<24x1xf32>
  %a = tfm.add %var, %eps : (tensor<24x1xf32>, tensor<f32>) -> tensor<24x1xf32>
  %s = tfm.sqrt %a : tensor<24x1xf32>
  %d = tfm.sub %x, %m : (tensor<24x5xf32>, tensor<24x1xf32>) -> tensor<24x5xf32>
  %n = tfm.div %d, %s : (tensor<24x5xf32>, tensor<24x1xf32>) -> tensor<24x5xf32>
  %w2 = tfm.reshape %w : tensor<5xf32> -> tensor<1x5xf32>
  %g = tfm.mul %n, %w2 : (tensor<24x5xf32>, tensor<1x5xf32>) -> tensor<24x5xf32>
  %b2 = tfm.reshape %b : tensor<5xf32> -> tensor<1x5xf32>
  %y = tfm.add %g, %b2 : (tensor<24x5xf32>, tensor<1x5xf32>) -> tensor<24x5xf32>
  return %y : tensor<24x5xf32>
}

// -----

// The function's Mean and InvStdDev outputs keep their ops beside the norm
// (as the LayerNormalization import computes them).
// CHECK-LABEL: func.func @moment_variance_with_stats
// CHECK-DAG: %[[Y:.*]] = tfm.layer_norm
// CHECK-DAG: %[[M:.*]] = tfm.reduce_mean
// CHECK-DAG: %[[S:.*]] = tfm.sqrt
// CHECK: return %[[Y]], %[[M]], %[[S]]
func.func @moment_variance_with_stats(%x: tensor<24x5xf32>) -> (tensor<24x5xf32>, tensor<24x1xf32>, tensor<24x1xf32>) {
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<24x5xf32>) -> tensor<24x1xf32>
  %sq = tfm.pow %x, %two : (tensor<24x5xf32>, tensor<f32>) -> tensor<24x5xf32>
  %msq = tfm.reduce_mean %sq axes = [1] keepdims : (tensor<24x5xf32>) -> tensor<24x1xf32>
  %m2 = tfm.mul %m, %m : (tensor<24x1xf32>, tensor<24x1xf32>) -> tensor<24x1xf32>
  %var = tfm.sub %msq, %m2 : (tensor<24x1xf32>, tensor<24x1xf32>) -> tensor<24x1xf32>
  %a = tfm.add %eps, %var : (tensor<f32>, tensor<24x1xf32>) -> tensor<24x1xf32>
  %s = tfm.sqrt %a : tensor<24x1xf32>
  %d = tfm.sub %x, %m : (tensor<24x5xf32>, tensor<24x1xf32>) -> tensor<24x5xf32>
  %n = tfm.div %d, %s : (tensor<24x5xf32>, tensor<24x1xf32>) -> tensor<24x5xf32>
  return %n, %m, %s : tensor<24x5xf32>, tensor<24x1xf32>, tensor<24x1xf32>
}

// -----

// Negative: the square's mean over other axes than the mean's is not a
// variance.
// CHECK-LABEL: func.func @moment_variance_other_axes
// CHECK-NOT: tfm.layer_norm
func.func @moment_variance_other_axes(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %eps = tfm.constant dense<1.0e-5> : tensor<f32>
  %m = tfm.reduce_mean %x axes = [1] keepdims : (tensor<4x5xf32>) -> tensor<4x1xf32>
  %sq = tfm.mul %x, %x : (tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  %msq = tfm.reduce_mean %sq axes = [0, 1] keepdims : (tensor<4x5xf32>) -> tensor<1x1xf32>
  %m2 = tfm.mul %m, %m : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %var = tfm.sub %msq, %m2 : (tensor<1x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %a = tfm.add %var, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = tfm.sqrt %a : tensor<4x1xf32>
  %d = tfm.sub %x, %m : (tensor<4x5xf32>, tensor<4x1xf32>) -> tensor<4x5xf32>
  %n = tfm.div %d, %s : (tensor<4x5xf32>, tensor<4x1xf32>) -> tensor<4x5xf32>
  return %n : tensor<4x5xf32>
}
