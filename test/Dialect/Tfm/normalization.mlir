// Round-trip of layer_norm and rms_norm: custom form, then generic form.
// RUN: tfm-opt %s -split-input-file | tfm-opt -split-input-file | FileCheck %s
// RUN: tfm-opt %s -split-input-file -mlir-print-op-generic | tfm-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x128x768xf32>, %[[G:.*]]: tensor<768xf32>, %[[B:.*]]: tensor<768xf32>)
func.func @layer_norm(%x: tensor<1x128x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<1x128x768xf32> {
  // CHECK: %[[Y0:.*]] = tfm.layer_norm %[[X]] scale(%[[G]]) bias(%[[B]]) axes = [2] epsilon = 9.99999996E-13 : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %0 = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-12 : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  // Scale and bias are each optional.
  // CHECK: %[[Y1:.*]] = tfm.layer_norm %[[Y0]] bias(%[[B]]) axes = [2] epsilon = 9.99999974E-6 :
  %1 = tfm.layer_norm %0 bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<1x128x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  // CHECK: %[[Y2:.*]] = tfm.layer_norm %[[Y1]] scale(%[[G]]) axes = [2] epsilon
  %2 = tfm.layer_norm %1 scale(%g) axes = [2] epsilon = 1.0e-5 : (tensor<1x128x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  // CHECK: tfm.layer_norm %[[Y2]] axes = [2] epsilon
  %3 = tfm.layer_norm %2 axes = [2] epsilon = 1.0e-5 : (tensor<1x128x768xf32>) -> tensor<1x128x768xf32>
  return %3 : tensor<1x128x768xf32>
}

// -----

// Normalizing over several trailing axes (ViT-style [C, H, W] would be [1, 2, 3]).
// CHECK-LABEL: func.func @layer_norm_two_axes
func.func @layer_norm_two_axes(%x: tensor<2x4x8xf16>, %g: tensor<4x8xf16>) -> tensor<2x4x8xf16> {
  // CHECK: tfm.layer_norm %{{.*}} scale(%{{.*}}) axes = [1, 2] epsilon
  %0 = tfm.layer_norm %x scale(%g) axes = [1, 2] epsilon = 1.0e-5 : (tensor<2x4x8xf16>, tensor<4x8xf16>) -> tensor<2x4x8xf16>
  return %0 : tensor<2x4x8xf16>
}

// -----

// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x128x2048xbf16>, %[[G:.*]]: tensor<2048xbf16>)
func.func @rms_norm(%x: tensor<1x128x2048xbf16>, %g: tensor<2048xbf16>) -> tensor<1x128x2048xbf16> {
  // CHECK: %[[Y:.*]] = tfm.rms_norm %[[X]] scale(%[[G]]) axes = [2] epsilon = 9.99999997E-7 : (tensor<1x128x2048xbf16>, tensor<2048xbf16>) -> tensor<1x128x2048xbf16>
  %0 = tfm.rms_norm %x scale(%g) axes = [2] epsilon = 1.0e-6 : (tensor<1x128x2048xbf16>, tensor<2048xbf16>) -> tensor<1x128x2048xbf16>
  // CHECK: tfm.rms_norm %[[Y]] axes = [2] epsilon
  %1 = tfm.rms_norm %0 axes = [2] epsilon = 1.0e-6 : (tensor<1x128x2048xbf16>) -> tensor<1x128x2048xbf16>
  return %1 : tensor<1x128x2048xbf16>
}

// -----

// With a residual, the norms also return the sum.
// CHECK-LABEL: func.func @skip_norms
// CHECK: %{{.*}}, %{{.*}} = tfm.layer_norm %{{.*}} residual(%{{.*}}) scale(%{{.*}}) axes = [1] epsilon = 9.99999974E-6 : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
// CHECK: %{{.*}}, %{{.*}} = tfm.rms_norm %{{.*}} residual(%{{.*}}) axes = [1] epsilon = 9.99999997E-7 : (tensor<2x8xf32>, tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
func.func @skip_norms(%x: tensor<2x8xf32>, %r: tensor<2x8xf32>, %g: tensor<8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %0:2 = tfm.layer_norm %x residual(%r) scale(%g) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  %1:2 = tfm.rms_norm %0#0 residual(%0#1) axes = [1] epsilon = 1.0e-6 : (tensor<2x8xf32>, tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  return %1#0, %1#1 : tensor<2x8xf32>, tensor<2x8xf32>
}
