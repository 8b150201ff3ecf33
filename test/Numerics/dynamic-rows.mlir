// Code generation of a dynamic row dimension, run: a model slice (layer
// norm, a linear with bias and GELU, softmax, a linear with a residual, RMS
// norm, a product) compiled once with its sequence dimension dynamic
// computes, at 1, 7 and 13 rows, what the same ops compiled for each static
// length compute. At 256 bits a product's rows are 6-row register tiles up
// to the last multiple of 6 and one-row tiles after it, at 512 bits 8-row
// ones: 1 row is all remainder, 7 and 13 are both. Each check prints 1
// when the two agree within 1e-5. (The tfm runtime's ABI does not take
// dynamic shapes yet: this runs the lowered module in mlir-runner.)
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=vectorized num-threads=2 vector-bits=256" \
// RUN:   | tfm-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   | tfm-opt --tfm-cpu-llvm="vector-bits=256" \
// RUN:   | mlir-runner -e main -entry-point-result=void %mlir_runner_libs \
// RUN:   | FileCheck %s
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=vectorized num-threads=2 vector-bits=512" \
// RUN:   | tfm-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   | tfm-opt --tfm-cpu-llvm="vector-bits=512" \
// RUN:   | mlir-runner -e main -entry-point-result=void %mlir_runner_libs \
// RUN:   | FileCheck %s
// CHECK: 1
// CHECK-NEXT: 1
// CHECK-NEXT: 1
// CHECK-NOT: {{.}}

func.func @dyn(%x: tensor<1x?x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %w1: tensor<40x64xf32>, %b1: tensor<40xf32>, %w2: tensor<64x40xf32>) -> tensor<1x?x64xf32> {
  %n = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %h = tfm.linear %n, %w1, %b1 activation = gelu : (tensor<1x?x64xf32>, tensor<40x64xf32>, tensor<40xf32>) -> tensor<1x?x40xf32>
  %p = tfm.softmax %h axis = 2 : tensor<1x?x40xf32>
  %y = tfm.linear %p, %w2 residual(%x) : (tensor<1x?x40xf32>, tensor<64x40xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %r = tfm.rms_norm %y scale(%g) axes = [2] epsilon = 1.0e-6 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %z = tfm.mul %r, %x : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %z : tensor<1x?x64xf32>
}

func.func @ref1(%x: tensor<1x1x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %w1: tensor<40x64xf32>, %b1: tensor<40xf32>, %w2: tensor<64x40xf32>) -> tensor<1x1x64xf32> {
  %n = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<1x1x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x1x64xf32>
  %h = tfm.linear %n, %w1, %b1 activation = gelu : (tensor<1x1x64xf32>, tensor<40x64xf32>, tensor<40xf32>) -> tensor<1x1x40xf32>
  %p = tfm.softmax %h axis = 2 : tensor<1x1x40xf32>
  %y = tfm.linear %p, %w2 residual(%x) : (tensor<1x1x40xf32>, tensor<64x40xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  %r = tfm.rms_norm %y scale(%g) axes = [2] epsilon = 1.0e-6 : (tensor<1x1x64xf32>, tensor<64xf32>) -> tensor<1x1x64xf32>
  %z = tfm.mul %r, %x : (tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  return %z : tensor<1x1x64xf32>
}

func.func @ref7(%x: tensor<1x7x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %w1: tensor<40x64xf32>, %b1: tensor<40xf32>, %w2: tensor<64x40xf32>) -> tensor<1x7x64xf32> {
  %n = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<1x7x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x7x64xf32>
  %h = tfm.linear %n, %w1, %b1 activation = gelu : (tensor<1x7x64xf32>, tensor<40x64xf32>, tensor<40xf32>) -> tensor<1x7x40xf32>
  %p = tfm.softmax %h axis = 2 : tensor<1x7x40xf32>
  %y = tfm.linear %p, %w2 residual(%x) : (tensor<1x7x40xf32>, tensor<64x40xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  %r = tfm.rms_norm %y scale(%g) axes = [2] epsilon = 1.0e-6 : (tensor<1x7x64xf32>, tensor<64xf32>) -> tensor<1x7x64xf32>
  %z = tfm.mul %r, %x : (tensor<1x7x64xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  return %z : tensor<1x7x64xf32>
}

func.func @ref13(%x: tensor<1x13x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %w1: tensor<40x64xf32>, %b1: tensor<40xf32>, %w2: tensor<64x40xf32>) -> tensor<1x13x64xf32> {
  %n = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-5 : (tensor<1x13x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x13x64xf32>
  %h = tfm.linear %n, %w1, %b1 activation = gelu : (tensor<1x13x64xf32>, tensor<40x64xf32>, tensor<40xf32>) -> tensor<1x13x40xf32>
  %p = tfm.softmax %h axis = 2 : tensor<1x13x40xf32>
  %y = tfm.linear %p, %w2 residual(%x) : (tensor<1x13x40xf32>, tensor<64x40xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  %r = tfm.rms_norm %y scale(%g) axes = [2] epsilon = 1.0e-6 : (tensor<1x13x64xf32>, tensor<64xf32>) -> tensor<1x13x64xf32>
  %z = tfm.mul %r, %x : (tensor<1x13x64xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  return %z : tensor<1x13x64xf32>
}

// Deterministic values: sin(a * i + b * j + c) over a 2-D or 3-D shape.
func.func private @wave2(%t: tensor<?x?xf32>, %a: f32, %b: f32) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %t, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %t, %c1 : tensor<?x?xf32>
  %r = scf.for %i = %c0 to %d0 step %c1 iter_args(%acc = %t) -> tensor<?x?xf32> {
    %r1 = scf.for %j = %c0 to %d1 step %c1 iter_args(%acc1 = %acc) -> tensor<?x?xf32> {
      %ii = arith.index_cast %i : index to i32
      %jj = arith.index_cast %j : index to i32
      %fi = arith.sitofp %ii : i32 to f32
      %fj = arith.sitofp %jj : i32 to f32
      %u = arith.mulf %fi, %a : f32
      %v = arith.mulf %fj, %b : f32
      %w = arith.addf %u, %v : f32
      %s = math.sin %w : f32
      %acc2 = tensor.insert %s into %acc1[%i, %j] : tensor<?x?xf32>
      scf.yield %acc2 : tensor<?x?xf32>
    }
    scf.yield %r1 : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}
func.func private @maxdiff(%p: tensor<?x?xf32>, %q: tensor<?x?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %p, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %p, %c1 : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %d0 step %c1 iter_args(%m = %zero) -> f32 {
    %r1 = scf.for %j = %c0 to %d1 step %c1 iter_args(%m1 = %m) -> f32 {
      %u = tensor.extract %p[%i, %j] : tensor<?x?xf32>
      %v = tensor.extract %q[%i, %j] : tensor<?x?xf32>
      %d = arith.subf %u, %v : f32
      %a = math.absf %d : f32
      %m2 = arith.maximumf %m1, %a : f32
      scf.yield %m2 : f32
    }
    scf.yield %r1 : f32
  }
  return %r : f32
}

func.func @main() {
  %c13 = arith.constant 13 : index
  %c40 = arith.constant 40 : index
  %c64 = arith.constant 64 : index
  %c1 = arith.constant 1 : index
  %k1 = arith.constant 0.37 : f32
  %k2 = arith.constant 0.11 : f32
  %k3 = arith.constant 0.23 : f32
  %k4 = arith.constant 0.05 : f32
  %k5 = arith.constant 0.71 : f32
  %ex = tensor.empty(%c13, %c64) : tensor<?x?xf32>
  %x2 = call @wave2(%ex, %k1, %k2) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %x2s = tensor.cast %x2 : tensor<?x?xf32> to tensor<13x64xf32>
  %xall = tensor.expand_shape %x2s [[0, 1], [2]] output_shape [1, 13, 64] : tensor<13x64xf32> into tensor<1x13x64xf32>
  %eg = tensor.empty(%c1, %c64) : tensor<?x?xf32>
  %g2 = call @wave2(%eg, %k3, %k5) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %g2s = tensor.cast %g2 : tensor<?x?xf32> to tensor<1x64xf32>
  %g = tensor.collapse_shape %g2s [[0, 1]] : tensor<1x64xf32> into tensor<64xf32>
  %b2 = call @wave2(%eg, %k4, %k2) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %b2s = tensor.cast %b2 : tensor<?x?xf32> to tensor<1x64xf32>
  %b = tensor.collapse_shape %b2s [[0, 1]] : tensor<1x64xf32> into tensor<64xf32>
  %ew1 = tensor.empty(%c40, %c64) : tensor<?x?xf32>
  %w1d = call @wave2(%ew1, %k2, %k1) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %w1 = tensor.cast %w1d : tensor<?x?xf32> to tensor<40x64xf32>
  %eb1 = tensor.empty(%c1, %c40) : tensor<?x?xf32>
  %b1d = call @wave2(%eb1, %k5, %k3) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %b1s = tensor.cast %b1d : tensor<?x?xf32> to tensor<1x40xf32>
  %b1 = tensor.collapse_shape %b1s [[0, 1]] : tensor<1x40xf32> into tensor<40xf32>
  %ew2 = tensor.empty(%c64, %c40) : tensor<?x?xf32>
  %w2d = call @wave2(%ew2, %k3, %k4) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %w2 = tensor.cast %w2d : tensor<?x?xf32> to tensor<64x40xf32>
  %tol = arith.constant 1.0e-5 : f32
  %x1 = tensor.extract_slice %xall[0, 0, 0] [1, 1, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x1x64xf32>
  %xd1 = tensor.cast %x1 : tensor<1x1x64xf32> to tensor<1x?x64xf32>
  %yd1 = call @dyn(%xd1, %g, %b, %w1, %b1, %w2) : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, tensor<40xf32>, tensor<64x40xf32>) -> tensor<1x?x64xf32>
  %yr1 = call @ref1(%x1, %g, %b, %w1, %b1, %w2) : (tensor<1x1x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, tensor<40xf32>, tensor<64x40xf32>) -> tensor<1x1x64xf32>
  %yd2_1 = tensor.collapse_shape %yd1 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %yr2_1 = tensor.collapse_shape %yr1 [[0, 1], [2]] : tensor<1x1x64xf32> into tensor<1x64xf32>
  %p1 = tensor.cast %yd2_1 : tensor<?x64xf32> to tensor<?x?xf32>
  %q1 = tensor.cast %yr2_1 : tensor<1x64xf32> to tensor<?x?xf32>
  %rows1 = tensor.dim %p1, %c1 : tensor<?x?xf32>
  %m1 = call @maxdiff(%p1, %q1) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %ok1 = arith.cmpf ole, %m1, %tol : f32
  vector.print %ok1 : i1
  %x7 = tensor.extract_slice %xall[0, 0, 0] [1, 7, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x7x64xf32>
  %xd7 = tensor.cast %x7 : tensor<1x7x64xf32> to tensor<1x?x64xf32>
  %yd7 = call @dyn(%xd7, %g, %b, %w1, %b1, %w2) : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, tensor<40xf32>, tensor<64x40xf32>) -> tensor<1x?x64xf32>
  %yr7 = call @ref7(%x7, %g, %b, %w1, %b1, %w2) : (tensor<1x7x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, tensor<40xf32>, tensor<64x40xf32>) -> tensor<1x7x64xf32>
  %yd2_7 = tensor.collapse_shape %yd7 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %yr2_7 = tensor.collapse_shape %yr7 [[0, 1], [2]] : tensor<1x7x64xf32> into tensor<7x64xf32>
  %p7 = tensor.cast %yd2_7 : tensor<?x64xf32> to tensor<?x?xf32>
  %q7 = tensor.cast %yr2_7 : tensor<7x64xf32> to tensor<?x?xf32>
  %rows7 = tensor.dim %p7, %c1 : tensor<?x?xf32>
  %m7 = call @maxdiff(%p7, %q7) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %ok7 = arith.cmpf ole, %m7, %tol : f32
  vector.print %ok7 : i1
  %x13 = tensor.extract_slice %xall[0, 0, 0] [1, 13, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x13x64xf32>
  %xd13 = tensor.cast %x13 : tensor<1x13x64xf32> to tensor<1x?x64xf32>
  %yd13 = call @dyn(%xd13, %g, %b, %w1, %b1, %w2) : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, tensor<40xf32>, tensor<64x40xf32>) -> tensor<1x?x64xf32>
  %yr13 = call @ref13(%x13, %g, %b, %w1, %b1, %w2) : (tensor<1x13x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, tensor<40xf32>, tensor<64x40xf32>) -> tensor<1x13x64xf32>
  %yd2_13 = tensor.collapse_shape %yd13 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %yr2_13 = tensor.collapse_shape %yr13 [[0, 1], [2]] : tensor<1x13x64xf32> into tensor<13x64xf32>
  %p13 = tensor.cast %yd2_13 : tensor<?x64xf32> to tensor<?x?xf32>
  %q13 = tensor.cast %yr2_13 : tensor<13x64xf32> to tensor<?x?xf32>
  %rows13 = tensor.dim %p13, %c1 : tensor<?x?xf32>
  %m13 = call @maxdiff(%p13, %q13) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %ok13 = arith.cmpf ole, %m13, %tol : f32
  vector.print %ok13 : i1
  return
}
