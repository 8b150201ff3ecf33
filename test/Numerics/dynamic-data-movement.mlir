// Data movement with a dynamic sequence dimension, run: an embedding
// gather of a run-time number of token ids (negative ones counting from the
// end), reshapes to heads and back, transposes, a concat and a split across
// the heads' features, a select, a sum broadcast back with expand, and a
// concat along the dynamic dimension itself (2 S rows out). One dynamic
// compilation against static ones at 1, 7 and 13 rows; each check prints
// the output's rows, then 1 when the two agree within 1e-5.
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
// CHECK: 2
// CHECK-NEXT: 1
// CHECK-NEXT: 14
// CHECK-NEXT: 1
// CHECK-NEXT: 26
// CHECK-NEXT: 1
// CHECK-NOT: {{.}}

func.func @dyn(%x: tensor<1x?x64xf32>, %ids: tensor<1x?xi64>, %table: tensor<50x64xf32>) -> tensor<1x?x64xf32> {
  %e = tfm.gather %table, %ids axis = 0 : (tensor<50x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
  %a = tfm.add %x, %e : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %r = tfm.reshape %a : tensor<1x?x64xf32> -> tensor<1x?x4x16xf32>
  %t = tfm.transpose %r perm = [0, 2, 1, 3] : tensor<1x?x4x16xf32> -> tensor<1x4x?x16xf32>
  %c = tfm.concat %t, %t axis = 3 : (tensor<1x4x?x16xf32>, tensor<1x4x?x16xf32>) -> tensor<1x4x?x32xf32>
  %s:2 = tfm.split %c axis = 3 : tensor<1x4x?x32xf32> -> tensor<1x4x?x8xf32>, tensor<1x4x?x24xf32>
  %h = tfm.select %s#1 axis = 1 index = 2 : tensor<1x4x?x24xf32> -> tensor<1x?x24xf32>
  %hs = tfm.reduce_sum %h axes = [2] keepdims : (tensor<1x?x24xf32>) -> tensor<1x?x1xf32>
  %hx = tfm.expand %hs : tensor<1x?x1xf32> -> tensor<1x?x16xf32>
  %t2 = tfm.transpose %t perm = [0, 2, 1, 3] : tensor<1x4x?x16xf32> -> tensor<1x?x4x16xf32>
  %hx4 = tfm.reshape %hx : tensor<1x?x16xf32> -> tensor<1x?x1x16xf32>
  %m = tfm.mul %t2, %hx4 : (tensor<1x?x4x16xf32>, tensor<1x?x1x16xf32>) -> tensor<1x?x4x16xf32>
  %y = tfm.reshape %m : tensor<1x?x4x16xf32> -> tensor<1x?x64xf32>
  %z = tfm.concat %y, %x axis = 1 : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %z : tensor<1x?x64xf32>
}

func.func @ref1(%x: tensor<1x1x64xf32>, %ids: tensor<1x1xi64>, %table: tensor<50x64xf32>) -> tensor<1x2x64xf32> {
  %e = tfm.gather %table, %ids axis = 0 : (tensor<50x64xf32>, tensor<1x1xi64>) -> tensor<1x1x64xf32>
  %a = tfm.add %x, %e : (tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  %r = tfm.reshape %a : tensor<1x1x64xf32> -> tensor<1x1x4x16xf32>
  %t = tfm.transpose %r perm = [0, 2, 1, 3] : tensor<1x1x4x16xf32> -> tensor<1x4x1x16xf32>
  %c = tfm.concat %t, %t axis = 3 : (tensor<1x4x1x16xf32>, tensor<1x4x1x16xf32>) -> tensor<1x4x1x32xf32>
  %s:2 = tfm.split %c axis = 3 : tensor<1x4x1x32xf32> -> tensor<1x4x1x8xf32>, tensor<1x4x1x24xf32>
  %h = tfm.select %s#1 axis = 1 index = 2 : tensor<1x4x1x24xf32> -> tensor<1x1x24xf32>
  %hs = tfm.reduce_sum %h axes = [2] keepdims : (tensor<1x1x24xf32>) -> tensor<1x1x1xf32>
  %hx = tfm.expand %hs : tensor<1x1x1xf32> -> tensor<1x1x16xf32>
  %t2 = tfm.transpose %t perm = [0, 2, 1, 3] : tensor<1x4x1x16xf32> -> tensor<1x1x4x16xf32>
  %hx4 = tfm.reshape %hx : tensor<1x1x16xf32> -> tensor<1x1x1x16xf32>
  %m = tfm.mul %t2, %hx4 : (tensor<1x1x4x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x1x4x16xf32>
  %y = tfm.reshape %m : tensor<1x1x4x16xf32> -> tensor<1x1x64xf32>
  %z = tfm.concat %y, %x axis = 1 : (tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x2x64xf32>
  return %z : tensor<1x2x64xf32>
}

func.func @ref7(%x: tensor<1x7x64xf32>, %ids: tensor<1x7xi64>, %table: tensor<50x64xf32>) -> tensor<1x14x64xf32> {
  %e = tfm.gather %table, %ids axis = 0 : (tensor<50x64xf32>, tensor<1x7xi64>) -> tensor<1x7x64xf32>
  %a = tfm.add %x, %e : (tensor<1x7x64xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  %r = tfm.reshape %a : tensor<1x7x64xf32> -> tensor<1x7x4x16xf32>
  %t = tfm.transpose %r perm = [0, 2, 1, 3] : tensor<1x7x4x16xf32> -> tensor<1x4x7x16xf32>
  %c = tfm.concat %t, %t axis = 3 : (tensor<1x4x7x16xf32>, tensor<1x4x7x16xf32>) -> tensor<1x4x7x32xf32>
  %s:2 = tfm.split %c axis = 3 : tensor<1x4x7x32xf32> -> tensor<1x4x7x8xf32>, tensor<1x4x7x24xf32>
  %h = tfm.select %s#1 axis = 1 index = 2 : tensor<1x4x7x24xf32> -> tensor<1x7x24xf32>
  %hs = tfm.reduce_sum %h axes = [2] keepdims : (tensor<1x7x24xf32>) -> tensor<1x7x1xf32>
  %hx = tfm.expand %hs : tensor<1x7x1xf32> -> tensor<1x7x16xf32>
  %t2 = tfm.transpose %t perm = [0, 2, 1, 3] : tensor<1x4x7x16xf32> -> tensor<1x7x4x16xf32>
  %hx4 = tfm.reshape %hx : tensor<1x7x16xf32> -> tensor<1x7x1x16xf32>
  %m = tfm.mul %t2, %hx4 : (tensor<1x7x4x16xf32>, tensor<1x7x1x16xf32>) -> tensor<1x7x4x16xf32>
  %y = tfm.reshape %m : tensor<1x7x4x16xf32> -> tensor<1x7x64xf32>
  %z = tfm.concat %y, %x axis = 1 : (tensor<1x7x64xf32>, tensor<1x7x64xf32>) -> tensor<1x14x64xf32>
  return %z : tensor<1x14x64xf32>
}

func.func @ref13(%x: tensor<1x13x64xf32>, %ids: tensor<1x13xi64>, %table: tensor<50x64xf32>) -> tensor<1x26x64xf32> {
  %e = tfm.gather %table, %ids axis = 0 : (tensor<50x64xf32>, tensor<1x13xi64>) -> tensor<1x13x64xf32>
  %a = tfm.add %x, %e : (tensor<1x13x64xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  %r = tfm.reshape %a : tensor<1x13x64xf32> -> tensor<1x13x4x16xf32>
  %t = tfm.transpose %r perm = [0, 2, 1, 3] : tensor<1x13x4x16xf32> -> tensor<1x4x13x16xf32>
  %c = tfm.concat %t, %t axis = 3 : (tensor<1x4x13x16xf32>, tensor<1x4x13x16xf32>) -> tensor<1x4x13x32xf32>
  %s:2 = tfm.split %c axis = 3 : tensor<1x4x13x32xf32> -> tensor<1x4x13x8xf32>, tensor<1x4x13x24xf32>
  %h = tfm.select %s#1 axis = 1 index = 2 : tensor<1x4x13x24xf32> -> tensor<1x13x24xf32>
  %hs = tfm.reduce_sum %h axes = [2] keepdims : (tensor<1x13x24xf32>) -> tensor<1x13x1xf32>
  %hx = tfm.expand %hs : tensor<1x13x1xf32> -> tensor<1x13x16xf32>
  %t2 = tfm.transpose %t perm = [0, 2, 1, 3] : tensor<1x4x13x16xf32> -> tensor<1x13x4x16xf32>
  %hx4 = tfm.reshape %hx : tensor<1x13x16xf32> -> tensor<1x13x1x16xf32>
  %m = tfm.mul %t2, %hx4 : (tensor<1x13x4x16xf32>, tensor<1x13x1x16xf32>) -> tensor<1x13x4x16xf32>
  %y = tfm.reshape %m : tensor<1x13x4x16xf32> -> tensor<1x13x64xf32>
  %z = tfm.concat %y, %x axis = 1 : (tensor<1x13x64xf32>, tensor<1x13x64xf32>) -> tensor<1x26x64xf32>
  return %z : tensor<1x26x64xf32>
}

// Deterministic values: sin(a * i + b * j) over a 2-D shape.
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
// Token ids (7 i + 3) mod 50 - 50: negative ids count from the end.
func.func private @ids(%t: tensor<1x?xi64>) -> tensor<1x?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c1 : tensor<1x?xi64>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> tensor<1x?xi64> {
    %ii = arith.index_cast %i : index to i64
    %c7 = arith.constant 7 : i64
    %c3 = arith.constant 3 : i64
    %c50 = arith.constant 50 : i64
    %a = arith.muli %ii, %c7 : i64
    %b = arith.addi %a, %c3 : i64
    %m = arith.remsi %b, %c50 : i64
    %v = arith.subi %m, %c50 : i64
    %acc2 = tensor.insert %v into %acc[%c0, %i] : tensor<1x?xi64>
    scf.yield %acc2 : tensor<1x?xi64>
  }
  return %r : tensor<1x?xi64>
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
  %c1 = arith.constant 1 : index
  %c13 = arith.constant 13 : index
  %c50 = arith.constant 50 : index
  %c64 = arith.constant 64 : index
  %k1 = arith.constant 0.37 : f32
  %k2 = arith.constant 0.11 : f32
  %k3 = arith.constant 0.23 : f32
  %ex = tensor.empty(%c13, %c64) : tensor<?x?xf32>
  %x2 = call @wave2(%ex, %k1, %k2) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %x2s = tensor.cast %x2 : tensor<?x?xf32> to tensor<13x64xf32>
  %xall = tensor.expand_shape %x2s [[0, 1], [2]] output_shape [1, 13, 64] : tensor<13x64xf32> into tensor<1x13x64xf32>
  %et = tensor.empty(%c50, %c64) : tensor<?x?xf32>
  %tb = call @wave2(%et, %k3, %k1) : (tensor<?x?xf32>, f32, f32) -> tensor<?x?xf32>
  %table = tensor.cast %tb : tensor<?x?xf32> to tensor<50x64xf32>
  %ei = tensor.empty(%c13) : tensor<1x?xi64>
  %idd = call @ids(%ei) : (tensor<1x?xi64>) -> tensor<1x?xi64>
  %idall = tensor.cast %idd : tensor<1x?xi64> to tensor<1x13xi64>
  %tol = arith.constant 1.0e-5 : f32
  %x1 = tensor.extract_slice %xall[0, 0, 0] [1, 1, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x1x64xf32>
  %i1 = tensor.extract_slice %idall[0, 0] [1, 1] [1, 1] : tensor<1x13xi64> to tensor<1x1xi64>
  %xd1 = tensor.cast %x1 : tensor<1x1x64xf32> to tensor<1x?x64xf32>
  %id1 = tensor.cast %i1 : tensor<1x1xi64> to tensor<1x?xi64>
  %yd1 = call @dyn(%xd1, %id1, %table) : (tensor<1x?x64xf32>, tensor<1x?xi64>, tensor<50x64xf32>) -> tensor<1x?x64xf32>
  %yr1 = call @ref1(%x1, %i1, %table) : (tensor<1x1x64xf32>, tensor<1x1xi64>, tensor<50x64xf32>) -> tensor<1x2x64xf32>
  %yd2_1 = tensor.collapse_shape %yd1 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %yr2_1 = tensor.collapse_shape %yr1 [[0, 1], [2]] : tensor<1x2x64xf32> into tensor<2x64xf32>
  %p1 = tensor.cast %yd2_1 : tensor<?x64xf32> to tensor<?x?xf32>
  %q1 = tensor.cast %yr2_1 : tensor<2x64xf32> to tensor<?x?xf32>
  %c0_1 = arith.constant 0 : index
  %rows1 = tensor.dim %p1, %c0_1 : tensor<?x?xf32>
  vector.print %rows1 : index
  %m1 = call @maxdiff(%p1, %q1) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %ok1 = arith.cmpf ole, %m1, %tol : f32
  vector.print %ok1 : i1
  %x7 = tensor.extract_slice %xall[0, 0, 0] [1, 7, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x7x64xf32>
  %i7 = tensor.extract_slice %idall[0, 0] [1, 7] [1, 1] : tensor<1x13xi64> to tensor<1x7xi64>
  %xd7 = tensor.cast %x7 : tensor<1x7x64xf32> to tensor<1x?x64xf32>
  %id7 = tensor.cast %i7 : tensor<1x7xi64> to tensor<1x?xi64>
  %yd7 = call @dyn(%xd7, %id7, %table) : (tensor<1x?x64xf32>, tensor<1x?xi64>, tensor<50x64xf32>) -> tensor<1x?x64xf32>
  %yr7 = call @ref7(%x7, %i7, %table) : (tensor<1x7x64xf32>, tensor<1x7xi64>, tensor<50x64xf32>) -> tensor<1x14x64xf32>
  %yd2_7 = tensor.collapse_shape %yd7 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %yr2_7 = tensor.collapse_shape %yr7 [[0, 1], [2]] : tensor<1x14x64xf32> into tensor<14x64xf32>
  %p7 = tensor.cast %yd2_7 : tensor<?x64xf32> to tensor<?x?xf32>
  %q7 = tensor.cast %yr2_7 : tensor<14x64xf32> to tensor<?x?xf32>
  %c0_7 = arith.constant 0 : index
  %rows7 = tensor.dim %p7, %c0_7 : tensor<?x?xf32>
  vector.print %rows7 : index
  %m7 = call @maxdiff(%p7, %q7) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %ok7 = arith.cmpf ole, %m7, %tol : f32
  vector.print %ok7 : i1
  %x13 = tensor.extract_slice %xall[0, 0, 0] [1, 13, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x13x64xf32>
  %i13 = tensor.extract_slice %idall[0, 0] [1, 13] [1, 1] : tensor<1x13xi64> to tensor<1x13xi64>
  %xd13 = tensor.cast %x13 : tensor<1x13x64xf32> to tensor<1x?x64xf32>
  %id13 = tensor.cast %i13 : tensor<1x13xi64> to tensor<1x?xi64>
  %yd13 = call @dyn(%xd13, %id13, %table) : (tensor<1x?x64xf32>, tensor<1x?xi64>, tensor<50x64xf32>) -> tensor<1x?x64xf32>
  %yr13 = call @ref13(%x13, %i13, %table) : (tensor<1x13x64xf32>, tensor<1x13xi64>, tensor<50x64xf32>) -> tensor<1x26x64xf32>
  %yd2_13 = tensor.collapse_shape %yd13 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %yr2_13 = tensor.collapse_shape %yr13 [[0, 1], [2]] : tensor<1x26x64xf32> into tensor<26x64xf32>
  %p13 = tensor.cast %yd2_13 : tensor<?x64xf32> to tensor<?x?xf32>
  %q13 = tensor.cast %yr2_13 : tensor<26x64xf32> to tensor<?x?xf32>
  %c0_13 = arith.constant 0 : index
  %rows13 = tensor.dim %p13, %c0_13 : tensor<?x?xf32>
  vector.print %rows13 : index
  %m13 = call @maxdiff(%p13, %q13) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %ok13 = arith.cmpf ole, %m13, %tol : f32
  vector.print %ok13 : i1
  return
}

