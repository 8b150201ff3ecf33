// Verifier errors of layer_norm and rms_norm, one case per labelled constraint.
// RUN: tfm-opt %s -split-input-file -verify-diagnostics

// layer_norm_c1: axes are the trailing dimensions.
func.func @layer_norm_c1(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c1: axes [1] must be the trailing dimensions of the rank-3 input in increasing order}}
  %0 = tfm.layer_norm %x axes = [1] epsilon = 1.0e-5 : (tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

// layer_norm_c1: axes are the trailing dimensions.
func.func @layer_norm_c1_order(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c1: axes [2, 1] must be the trailing dimensions of the rank-3 input in increasing order}}
  %0 = tfm.layer_norm %x axes = [2, 1] epsilon = 1.0e-5 : (tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

// layer_norm_c2: scale and bias have the normalized shape.
func.func @layer_norm_c2(%x: tensor<2x4x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c2: scale shape [4] differs from the normalized shape [8]}}
  %0 = tfm.layer_norm %x scale(%g) axes = [2] epsilon = 1.0e-5 : (tensor<2x4x8xf32>, tensor<4xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

// layer_norm_c2: scale and bias have the input's element type.
func.func @layer_norm_c2_type(%x: tensor<2x4x8xf32>, %b: tensor<8xf16>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c2: bias element type 'f16' differs from input element type 'f32'}}
  %0 = tfm.layer_norm %x bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<2x4x8xf32>, tensor<8xf16>) -> tensor<2x4x8xf32>
  return
}

// -----

// layer_norm_c3: epsilon is non-negative.
func.func @layer_norm_c3(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c3: epsilon -1.000000e-05 is negative}}
  %0 = tfm.layer_norm %x axes = [1] epsilon = -1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// layer_norm_c4: the result has the input's type.
func.func @layer_norm_c4(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c4: result type 'tensor<2x8xf16>' differs from the inferred type 'tensor<2x8xf32>'}}
  %0 = tfm.layer_norm %x axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf16>
  return
}

// -----

// rms_norm_c1: axes are the trailing dimensions.
func.func @rms_norm_c1(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.rms_norm' op rms_norm_c1: axes [] must be the trailing dimensions of the rank-2 input in increasing order}}
  %0 = tfm.rms_norm %x axes = [] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// rms_norm_c2: the scale has the normalized shape.
func.func @rms_norm_c2(%x: tensor<2x8xf32>, %g: tensor<1x8xf32>) {
  // expected-error @+1 {{'tfm.rms_norm' op rms_norm_c2: scale shape [1, 8] differs from the normalized shape [8]}}
  %0 = tfm.rms_norm %x scale(%g) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// rms_norm_c3: epsilon is non-negative.
func.func @rms_norm_c3(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.rms_norm' op rms_norm_c3: epsilon -1.000000e+00 is negative}}
  %0 = tfm.rms_norm %x axes = [1] epsilon = -1.0 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// rms_norm_c4: the result has the input's type.
func.func @rms_norm_c4(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.rms_norm' op rms_norm_c4: result type 'tensor<8x2xf32>' differs from the inferred type 'tensor<2x8xf32>'}}
  %0 = tfm.rms_norm %x axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>) -> tensor<8x2xf32>
  return
}

// -----

// layer_norm_c5: the residual has the input's type.
func.func @layer_norm_c5(%x: tensor<2x8xf32>, %r: tensor<1x8xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c5: residual type 'tensor<1x8xf32>' differs from input type 'tensor<2x8xf32>'}}
  %0:2 = tfm.layer_norm %x residual(%r) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<1x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

// layer_norm_c5: with a residual, the op returns the sum as well.
func.func @layer_norm_c5_sum(%x: tensor<2x8xf32>, %r: tensor<2x8xf32>) {
  // expected-error @+1 {{'tfm.layer_norm' op layer_norm_c4: 1 result(s) where 2 are inferred}}
  %0 = tfm.layer_norm %x residual(%r) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// rms_norm_c5: the residual has the input's type.
func.func @rms_norm_c5(%x: tensor<2x8xf32>, %r: tensor<2x8xf16>) {
  // expected-error @+1 {{'tfm.rms_norm' op rms_norm_c5: residual type 'tensor<2x8xf16>' differs from input type 'tensor<2x8xf32>'}}
  %0:2 = tfm.rms_norm %x residual(%r) axes = [1] epsilon = 1.0e-5 : (tensor<2x8xf32>, tensor<2x8xf16>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  return
}
