// Attention and products over a dynamic sequence, run: grouped-query
// attention over a cache (its last 8 rows hidden by the mask, as in a cache
// still filling), causal, with RoPE on queries and keys, then a product by
// a weight; and causal multi-head attention in the packed layout beside
// its unfused form (q k^T, softmax over a dynamic axis, p v: products whose
// M, N and K are all dynamic). With 4-query blocks and 8-key tiles, 13
// queries are 3 whole blocks and 1 one-query block, 13 new keys a whole
// tile and 5 one-key tiles. One dynamic compilation against static ones at
// 1, 7 and 13 queries; each check prints 1 when the two agree within 1e-5.
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=graph" \
// RUN:   | tfm-opt --convert-tfm-to-linalg="attention-query-block=4 attention-key-tile=8" \
// RUN:   | tfm-opt --tfm-cpu-vectorized="num-threads=2 vector-bits=256" \
// RUN:   | tfm-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map allow-return-allocs-from-loops" \
// RUN:   | tfm-opt --tfm-cpu-llvm="vector-bits=256" \
// RUN:   | mlir-runner -e main -entry-point-result=void %mlir_runner_libs \
// RUN:   | FileCheck %s
// RUN: tfm-opt %s --tfm-cpu-pipeline="compile-to=graph" \
// RUN:   | tfm-opt --convert-tfm-to-linalg="attention-query-block=4 attention-key-tile=8" \
// RUN:   | tfm-opt --tfm-cpu-vectorized="num-threads=2 vector-bits=512" \
// RUN:   | tfm-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map allow-return-allocs-from-loops" \
// RUN:   | tfm-opt --tfm-cpu-llvm="vector-bits=512" \
// RUN:   | mlir-runner -e main -entry-point-result=void %mlir_runner_libs \
// RUN:   | FileCheck %s
// CHECK-COUNT-6: 1
// CHECK-NOT: {{.}}

func.func @split_dyn(%q: tensor<1x4x?x16xf32>, %k: tensor<1x2x?x16xf32>, %v: tensor<1x2x?x16xf32>, %pk: tensor<1x2x20x16xf32>, %pv: tensor<1x2x20x16xf32>, %m: tensor<1x1x?x?xf32>, %cos: tensor<?x8xf32>, %sin: tensor<?x8xf32>, %w: tensor<64x64xf32>) -> tensor<1x?x64xf32> {
  %qr = tfm.rope %q, %cos, %sin : (tensor<1x4x?x16xf32>, tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<1x4x?x16xf32>
  %kr = tfm.rope %k, %cos, %sin : (tensor<1x2x?x16xf32>, tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<1x2x?x16xf32>
  %a = tfm.attention %qr, %kr, %v past(%pk, %pv) mask(%m) heads = 4 kv_heads = 2 causal : (tensor<1x4x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x?x?xf32>) -> tensor<1x4x?x16xf32>
  %t = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x?x16xf32> -> tensor<1x?x4x16xf32>
  %r = tfm.reshape %t : tensor<1x?x4x16xf32> -> tensor<1x?x64xf32>
  %y = tfm.matmul %r, %w : (tensor<1x?x64xf32>, tensor<64x64xf32>) -> tensor<1x?x64xf32>
  return %y : tensor<1x?x64xf32>
}
func.func @packed_dyn(%q: tensor<1x?x64xf32>, %k: tensor<1x?x64xf32>, %v: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %a = tfm.attention %q, %k, %v heads = 4 kv_heads = 4 causal : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %kt = tfm.transpose %k perm = [0, 2, 1] : tensor<1x?x64xf32> -> tensor<1x64x?xf32>
  %sc = tfm.matmul %q, %kt : (tensor<1x?x64xf32>, tensor<1x64x?xf32>) -> tensor<1x?x?xf32>
  %p = tfm.softmax %sc axis = 2 : tensor<1x?x?xf32>
  %o = tfm.matmul %p, %v : (tensor<1x?x?xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %y = tfm.add %a, %o : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %y : tensor<1x?x64xf32>
}

func.func @split1(%q: tensor<1x4x1x16xf32>, %k: tensor<1x2x1x16xf32>, %v: tensor<1x2x1x16xf32>, %pk: tensor<1x2x20x16xf32>, %pv: tensor<1x2x20x16xf32>, %m: tensor<1x1x1x21xf32>, %cos: tensor<1x8xf32>, %sin: tensor<1x8xf32>, %w: tensor<64x64xf32>) -> tensor<1x1x64xf32> {
  %qr = tfm.rope %q, %cos, %sin : (tensor<1x4x1x16xf32>, tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x4x1x16xf32>
  %kr = tfm.rope %k, %cos, %sin : (tensor<1x2x1x16xf32>, tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x2x1x16xf32>
  %a = tfm.attention %qr, %kr, %v past(%pk, %pv) mask(%m) heads = 4 kv_heads = 2 causal : (tensor<1x4x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x1x21xf32>) -> tensor<1x4x1x16xf32>
  %t = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x1x16xf32> -> tensor<1x1x4x16xf32>
  %r = tfm.reshape %t : tensor<1x1x4x16xf32> -> tensor<1x1x64xf32>
  %y = tfm.matmul %r, %w : (tensor<1x1x64xf32>, tensor<64x64xf32>) -> tensor<1x1x64xf32>
  return %y : tensor<1x1x64xf32>
}
func.func @packed1(%q: tensor<1x1x64xf32>, %k: tensor<1x1x64xf32>, %v: tensor<1x1x64xf32>) -> tensor<1x1x64xf32> {
  %a = tfm.attention %q, %k, %v heads = 4 kv_heads = 4 causal : (tensor<1x1x64xf32>, tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  %kt = tfm.transpose %k perm = [0, 2, 1] : tensor<1x1x64xf32> -> tensor<1x64x1xf32>
  %sc = tfm.matmul %q, %kt : (tensor<1x1x64xf32>, tensor<1x64x1xf32>) -> tensor<1x1x1xf32>
  %p = tfm.softmax %sc axis = 2 : tensor<1x1x1xf32>
  %o = tfm.matmul %p, %v : (tensor<1x1x1xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  %y = tfm.add %a, %o : (tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  return %y : tensor<1x1x64xf32>
}

func.func @split7(%q: tensor<1x4x7x16xf32>, %k: tensor<1x2x7x16xf32>, %v: tensor<1x2x7x16xf32>, %pk: tensor<1x2x20x16xf32>, %pv: tensor<1x2x20x16xf32>, %m: tensor<1x1x7x27xf32>, %cos: tensor<7x8xf32>, %sin: tensor<7x8xf32>, %w: tensor<64x64xf32>) -> tensor<1x7x64xf32> {
  %qr = tfm.rope %q, %cos, %sin : (tensor<1x4x7x16xf32>, tensor<7x8xf32>, tensor<7x8xf32>) -> tensor<1x4x7x16xf32>
  %kr = tfm.rope %k, %cos, %sin : (tensor<1x2x7x16xf32>, tensor<7x8xf32>, tensor<7x8xf32>) -> tensor<1x2x7x16xf32>
  %a = tfm.attention %qr, %kr, %v past(%pk, %pv) mask(%m) heads = 4 kv_heads = 2 causal : (tensor<1x4x7x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x7x27xf32>) -> tensor<1x4x7x16xf32>
  %t = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x7x16xf32> -> tensor<1x7x4x16xf32>
  %r = tfm.reshape %t : tensor<1x7x4x16xf32> -> tensor<1x7x64xf32>
  %y = tfm.matmul %r, %w : (tensor<1x7x64xf32>, tensor<64x64xf32>) -> tensor<1x7x64xf32>
  return %y : tensor<1x7x64xf32>
}
func.func @packed7(%q: tensor<1x7x64xf32>, %k: tensor<1x7x64xf32>, %v: tensor<1x7x64xf32>) -> tensor<1x7x64xf32> {
  %a = tfm.attention %q, %k, %v heads = 4 kv_heads = 4 causal : (tensor<1x7x64xf32>, tensor<1x7x64xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  %kt = tfm.transpose %k perm = [0, 2, 1] : tensor<1x7x64xf32> -> tensor<1x64x7xf32>
  %sc = tfm.matmul %q, %kt : (tensor<1x7x64xf32>, tensor<1x64x7xf32>) -> tensor<1x7x7xf32>
  %p = tfm.softmax %sc axis = 2 : tensor<1x7x7xf32>
  %o = tfm.matmul %p, %v : (tensor<1x7x7xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  %y = tfm.add %a, %o : (tensor<1x7x64xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  return %y : tensor<1x7x64xf32>
}

func.func @split13(%q: tensor<1x4x13x16xf32>, %k: tensor<1x2x13x16xf32>, %v: tensor<1x2x13x16xf32>, %pk: tensor<1x2x20x16xf32>, %pv: tensor<1x2x20x16xf32>, %m: tensor<1x1x13x33xf32>, %cos: tensor<13x8xf32>, %sin: tensor<13x8xf32>, %w: tensor<64x64xf32>) -> tensor<1x13x64xf32> {
  %qr = tfm.rope %q, %cos, %sin : (tensor<1x4x13x16xf32>, tensor<13x8xf32>, tensor<13x8xf32>) -> tensor<1x4x13x16xf32>
  %kr = tfm.rope %k, %cos, %sin : (tensor<1x2x13x16xf32>, tensor<13x8xf32>, tensor<13x8xf32>) -> tensor<1x2x13x16xf32>
  %a = tfm.attention %qr, %kr, %v past(%pk, %pv) mask(%m) heads = 4 kv_heads = 2 causal : (tensor<1x4x13x16xf32>, tensor<1x2x13x16xf32>, tensor<1x2x13x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x13x33xf32>) -> tensor<1x4x13x16xf32>
  %t = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x13x16xf32> -> tensor<1x13x4x16xf32>
  %r = tfm.reshape %t : tensor<1x13x4x16xf32> -> tensor<1x13x64xf32>
  %y = tfm.matmul %r, %w : (tensor<1x13x64xf32>, tensor<64x64xf32>) -> tensor<1x13x64xf32>
  return %y : tensor<1x13x64xf32>
}
func.func @packed13(%q: tensor<1x13x64xf32>, %k: tensor<1x13x64xf32>, %v: tensor<1x13x64xf32>) -> tensor<1x13x64xf32> {
  %a = tfm.attention %q, %k, %v heads = 4 kv_heads = 4 causal : (tensor<1x13x64xf32>, tensor<1x13x64xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  %kt = tfm.transpose %k perm = [0, 2, 1] : tensor<1x13x64xf32> -> tensor<1x64x13xf32>
  %sc = tfm.matmul %q, %kt : (tensor<1x13x64xf32>, tensor<1x64x13xf32>) -> tensor<1x13x13xf32>
  %p = tfm.softmax %sc axis = 2 : tensor<1x13x13xf32>
  %o = tfm.matmul %p, %v : (tensor<1x13x13xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  %y = tfm.add %a, %o : (tensor<1x13x64xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  return %y : tensor<1x13x64xf32>
}

// sin(a * i + b * j) over [rows, cols].
func.func private @wave(%rows: index, %cols: index, %a: f32, %b: f32) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = scf.for %i = %c0 to %rows step %c1 iter_args(%acc = %t) -> tensor<?x?xf32> {
    %r1 = scf.for %j = %c0 to %cols step %c1 iter_args(%acc1 = %acc) -> tensor<?x?xf32> {
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
// An additive mask over [queries, past + queries] keys: the cache rows
// 12..19 are not filled yet (hidden), the others and the new keys shown.
func.func private @mask(%rows: index, %cols: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  %c20 = arith.constant 20 : index
  %zero = arith.constant 0.0 : f32
  %hidden = arith.constant -1.0e30 : f32
  %t = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = scf.for %i = %c0 to %rows step %c1 iter_args(%acc = %t) -> tensor<?x?xf32> {
    %r1 = scf.for %j = %c0 to %cols step %c1 iter_args(%acc1 = %acc) -> tensor<?x?xf32> {
      %lo = arith.cmpi sge, %j, %c12 : index
      %hi = arith.cmpi slt, %j, %c20 : index
      %h = arith.andi %lo, %hi : i1
      %x = arith.select %h, %hidden, %zero : f32
      %acc2 = tensor.insert %x into %acc1[%i, %j] : tensor<?x?xf32>
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
  %c1 = arith.constant 1 : index
  %c13 = arith.constant 13 : index
  %c16 = arith.constant 16 : index
  %c40 = arith.constant 40 : index
  %c52 = arith.constant 52 : index
  %c26 = arith.constant 26 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %f1 = arith.constant 0.37 : f32
  %f2 = arith.constant 0.11 : f32
  %f3 = arith.constant 0.23 : f32
  %f4 = arith.constant 0.05 : f32
  %f5 = arith.constant 0.71 : f32
  %tol = arith.constant 1.0e-5 : f32
  %qw0 = call @wave(%c52, %c16, %f1, %f2) : (index, index, f32, f32) -> tensor<?x?xf32>
  %qw1 = tensor.cast %qw0 : tensor<?x?xf32> to tensor<52x16xf32>
  %qa = tensor.expand_shape %qw1 [[0, 1, 2], [3]] output_shape [1, 4, 13, 16] : tensor<52x16xf32> into tensor<1x4x13x16xf32>
  %kw0 = call @wave(%c26, %c16, %f3, %f4) : (index, index, f32, f32) -> tensor<?x?xf32>
  %k1t = tensor.cast %kw0 : tensor<?x?xf32> to tensor<26x16xf32>
  %ka = tensor.expand_shape %k1t [[0, 1, 2], [3]] output_shape [1, 2, 13, 16] : tensor<26x16xf32> into tensor<1x2x13x16xf32>
  %vw0 = call @wave(%c26, %c16, %f5, %f1) : (index, index, f32, f32) -> tensor<?x?xf32>
  %vw1 = tensor.cast %vw0 : tensor<?x?xf32> to tensor<26x16xf32>
  %va = tensor.expand_shape %vw1 [[0, 1, 2], [3]] output_shape [1, 2, 13, 16] : tensor<26x16xf32> into tensor<1x2x13x16xf32>
  %pk0 = call @wave(%c40, %c16, %f2, %f5) : (index, index, f32, f32) -> tensor<?x?xf32>
  %pk1 = tensor.cast %pk0 : tensor<?x?xf32> to tensor<40x16xf32>
  %pk = tensor.expand_shape %pk1 [[0, 1, 2], [3]] output_shape [1, 2, 20, 16] : tensor<40x16xf32> into tensor<1x2x20x16xf32>
  %pv0 = call @wave(%c40, %c16, %f4, %f3) : (index, index, f32, f32) -> tensor<?x?xf32>
  %pv1 = tensor.cast %pv0 : tensor<?x?xf32> to tensor<40x16xf32>
  %pv = tensor.expand_shape %pv1 [[0, 1, 2], [3]] output_shape [1, 2, 20, 16] : tensor<40x16xf32> into tensor<1x2x20x16xf32>
  %c0t = call @wave(%c13, %c8, %f1, %f3) : (index, index, f32, f32) -> tensor<?x?xf32>
  %cosa = tensor.cast %c0t : tensor<?x?xf32> to tensor<13x8xf32>
  %s0t = call @wave(%c13, %c8, %f2, %f4) : (index, index, f32, f32) -> tensor<?x?xf32>
  %sina = tensor.cast %s0t : tensor<?x?xf32> to tensor<13x8xf32>
  %w0 = call @wave(%c64, %c64, %f4, %f2) : (index, index, f32, f32) -> tensor<?x?xf32>
  %w = tensor.cast %w0 : tensor<?x?xf32> to tensor<64x64xf32>
  %xw0 = call @wave(%c13, %c64, %f3, %f1) : (index, index, f32, f32) -> tensor<?x?xf32>
  %xw1 = tensor.cast %xw0 : tensor<?x?xf32> to tensor<13x64xf32>
  %xa = tensor.expand_shape %xw1 [[0, 1], [2]] output_shape [1, 13, 64] : tensor<13x64xf32> into tensor<1x13x64xf32>
  %yw0 = call @wave(%c13, %c64, %f5, %f2) : (index, index, f32, f32) -> tensor<?x?xf32>
  %yw1 = tensor.cast %yw0 : tensor<?x?xf32> to tensor<13x64xf32>
  %ya = tensor.expand_shape %yw1 [[0, 1], [2]] output_shape [1, 13, 64] : tensor<13x64xf32> into tensor<1x13x64xf32>
  %q1 = tensor.extract_slice %qa[0, 0, 0, 0] [1, 4, 1, 16] [1, 1, 1, 1] : tensor<1x4x13x16xf32> to tensor<1x4x1x16xf32>
  %k1 = tensor.extract_slice %ka[0, 0, 0, 0] [1, 2, 1, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x2x1x16xf32>
  %v1 = tensor.extract_slice %va[0, 0, 0, 0] [1, 2, 1, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x2x1x16xf32>
  %cos1 = tensor.extract_slice %cosa[0, 0] [1, 8] [1, 1] : tensor<13x8xf32> to tensor<1x8xf32>
  %sin1 = tensor.extract_slice %sina[0, 0] [1, 8] [1, 1] : tensor<13x8xf32> to tensor<1x8xf32>
  %s_1 = arith.constant 1 : index
  %t_1 = arith.constant 21 : index
  %md1 = call @mask(%s_1, %t_1) : (index, index) -> tensor<?x?xf32>
  %ms1 = tensor.cast %md1 : tensor<?x?xf32> to tensor<1x21xf32>
  %m1 = tensor.expand_shape %ms1 [[0, 1, 2], [3]] output_shape [1, 1, 1, 21] : tensor<1x21xf32> into tensor<1x1x1x21xf32>
  %qd1 = tensor.cast %q1 : tensor<1x4x1x16xf32> to tensor<1x4x?x16xf32>
  %kd1 = tensor.cast %k1 : tensor<1x2x1x16xf32> to tensor<1x2x?x16xf32>
  %vd1 = tensor.cast %v1 : tensor<1x2x1x16xf32> to tensor<1x2x?x16xf32>
  %mdd1 = tensor.cast %m1 : tensor<1x1x1x21xf32> to tensor<1x1x?x?xf32>
  %cosd1 = tensor.cast %cos1 : tensor<1x8xf32> to tensor<?x8xf32>
  %sind1 = tensor.cast %sin1 : tensor<1x8xf32> to tensor<?x8xf32>
  %ad1 = call @split_dyn(%qd1, %kd1, %vd1, %pk, %pv, %mdd1, %cosd1, %sind1, %w) : (tensor<1x4x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x?x?xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<64x64xf32>) -> tensor<1x?x64xf32>
  %ar1 = call @split1(%q1, %k1, %v1, %pk, %pv, %m1, %cos1, %sin1, %w) : (tensor<1x4x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x1x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x1x21xf32>, tensor<1x8xf32>, tensor<1x8xf32>, tensor<64x64xf32>) -> tensor<1x1x64xf32>
  %ad2_1 = tensor.collapse_shape %ad1 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %ar2_1 = tensor.collapse_shape %ar1 [[0, 1], [2]] : tensor<1x1x64xf32> into tensor<1x64xf32>
  %pa1 = tensor.cast %ad2_1 : tensor<?x64xf32> to tensor<?x?xf32>
  %qa1 = tensor.cast %ar2_1 : tensor<1x64xf32> to tensor<?x?xf32>
  %ma1 = call @maxdiff(%pa1, %qa1) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %oka1 = arith.cmpf ole, %ma1, %tol : f32
  vector.print %oka1 : i1
  %x1 = tensor.extract_slice %xa[0, 0, 0] [1, 1, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x1x64xf32>
  %y1 = tensor.extract_slice %ya[0, 0, 0] [1, 1, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x1x64xf32>
  %xd1 = tensor.cast %x1 : tensor<1x1x64xf32> to tensor<1x?x64xf32>
  %yd1 = tensor.cast %y1 : tensor<1x1x64xf32> to tensor<1x?x64xf32>
  %bd1 = call @packed_dyn(%xd1, %yd1, %xd1) : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %br1 = call @packed1(%x1, %y1, %x1) : (tensor<1x1x64xf32>, tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x64xf32>
  %bd2_1 = tensor.collapse_shape %bd1 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %br2_1 = tensor.collapse_shape %br1 [[0, 1], [2]] : tensor<1x1x64xf32> into tensor<1x64xf32>
  %pb1 = tensor.cast %bd2_1 : tensor<?x64xf32> to tensor<?x?xf32>
  %qb1 = tensor.cast %br2_1 : tensor<1x64xf32> to tensor<?x?xf32>
  %mb1 = call @maxdiff(%pb1, %qb1) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %okb1 = arith.cmpf ole, %mb1, %tol : f32
  vector.print %okb1 : i1
  %q7 = tensor.extract_slice %qa[0, 0, 0, 0] [1, 4, 7, 16] [1, 1, 1, 1] : tensor<1x4x13x16xf32> to tensor<1x4x7x16xf32>
  %k7 = tensor.extract_slice %ka[0, 0, 0, 0] [1, 2, 7, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x2x7x16xf32>
  %v7 = tensor.extract_slice %va[0, 0, 0, 0] [1, 2, 7, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x2x7x16xf32>
  %cos7 = tensor.extract_slice %cosa[0, 0] [7, 8] [1, 1] : tensor<13x8xf32> to tensor<7x8xf32>
  %sin7 = tensor.extract_slice %sina[0, 0] [7, 8] [1, 1] : tensor<13x8xf32> to tensor<7x8xf32>
  %s_7 = arith.constant 7 : index
  %t_7 = arith.constant 27 : index
  %md7 = call @mask(%s_7, %t_7) : (index, index) -> tensor<?x?xf32>
  %ms7 = tensor.cast %md7 : tensor<?x?xf32> to tensor<7x27xf32>
  %m7 = tensor.expand_shape %ms7 [[0, 1, 2], [3]] output_shape [1, 1, 7, 27] : tensor<7x27xf32> into tensor<1x1x7x27xf32>
  %qd7 = tensor.cast %q7 : tensor<1x4x7x16xf32> to tensor<1x4x?x16xf32>
  %kd7 = tensor.cast %k7 : tensor<1x2x7x16xf32> to tensor<1x2x?x16xf32>
  %vd7 = tensor.cast %v7 : tensor<1x2x7x16xf32> to tensor<1x2x?x16xf32>
  %mdd7 = tensor.cast %m7 : tensor<1x1x7x27xf32> to tensor<1x1x?x?xf32>
  %cosd7 = tensor.cast %cos7 : tensor<7x8xf32> to tensor<?x8xf32>
  %sind7 = tensor.cast %sin7 : tensor<7x8xf32> to tensor<?x8xf32>
  %ad7 = call @split_dyn(%qd7, %kd7, %vd7, %pk, %pv, %mdd7, %cosd7, %sind7, %w) : (tensor<1x4x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x?x?xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<64x64xf32>) -> tensor<1x?x64xf32>
  %ar7 = call @split7(%q7, %k7, %v7, %pk, %pv, %m7, %cos7, %sin7, %w) : (tensor<1x4x7x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x7x27xf32>, tensor<7x8xf32>, tensor<7x8xf32>, tensor<64x64xf32>) -> tensor<1x7x64xf32>
  %ad2_7 = tensor.collapse_shape %ad7 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %ar2_7 = tensor.collapse_shape %ar7 [[0, 1], [2]] : tensor<1x7x64xf32> into tensor<7x64xf32>
  %pa7 = tensor.cast %ad2_7 : tensor<?x64xf32> to tensor<?x?xf32>
  %qa7 = tensor.cast %ar2_7 : tensor<7x64xf32> to tensor<?x?xf32>
  %ma7 = call @maxdiff(%pa7, %qa7) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %oka7 = arith.cmpf ole, %ma7, %tol : f32
  vector.print %oka7 : i1
  %x7 = tensor.extract_slice %xa[0, 0, 0] [1, 7, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x7x64xf32>
  %y7 = tensor.extract_slice %ya[0, 0, 0] [1, 7, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x7x64xf32>
  %xd7 = tensor.cast %x7 : tensor<1x7x64xf32> to tensor<1x?x64xf32>
  %yd7 = tensor.cast %y7 : tensor<1x7x64xf32> to tensor<1x?x64xf32>
  %bd7 = call @packed_dyn(%xd7, %yd7, %xd7) : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %br7 = call @packed7(%x7, %y7, %x7) : (tensor<1x7x64xf32>, tensor<1x7x64xf32>, tensor<1x7x64xf32>) -> tensor<1x7x64xf32>
  %bd2_7 = tensor.collapse_shape %bd7 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %br2_7 = tensor.collapse_shape %br7 [[0, 1], [2]] : tensor<1x7x64xf32> into tensor<7x64xf32>
  %pb7 = tensor.cast %bd2_7 : tensor<?x64xf32> to tensor<?x?xf32>
  %qb7 = tensor.cast %br2_7 : tensor<7x64xf32> to tensor<?x?xf32>
  %mb7 = call @maxdiff(%pb7, %qb7) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %okb7 = arith.cmpf ole, %mb7, %tol : f32
  vector.print %okb7 : i1
  %q13 = tensor.extract_slice %qa[0, 0, 0, 0] [1, 4, 13, 16] [1, 1, 1, 1] : tensor<1x4x13x16xf32> to tensor<1x4x13x16xf32>
  %k13 = tensor.extract_slice %ka[0, 0, 0, 0] [1, 2, 13, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x2x13x16xf32>
  %v13 = tensor.extract_slice %va[0, 0, 0, 0] [1, 2, 13, 16] [1, 1, 1, 1] : tensor<1x2x13x16xf32> to tensor<1x2x13x16xf32>
  %cos13 = tensor.extract_slice %cosa[0, 0] [13, 8] [1, 1] : tensor<13x8xf32> to tensor<13x8xf32>
  %sin13 = tensor.extract_slice %sina[0, 0] [13, 8] [1, 1] : tensor<13x8xf32> to tensor<13x8xf32>
  %s_13 = arith.constant 13 : index
  %t_13 = arith.constant 33 : index
  %md13 = call @mask(%s_13, %t_13) : (index, index) -> tensor<?x?xf32>
  %ms13 = tensor.cast %md13 : tensor<?x?xf32> to tensor<13x33xf32>
  %m13 = tensor.expand_shape %ms13 [[0, 1, 2], [3]] output_shape [1, 1, 13, 33] : tensor<13x33xf32> into tensor<1x1x13x33xf32>
  %qd13 = tensor.cast %q13 : tensor<1x4x13x16xf32> to tensor<1x4x?x16xf32>
  %kd13 = tensor.cast %k13 : tensor<1x2x13x16xf32> to tensor<1x2x?x16xf32>
  %vd13 = tensor.cast %v13 : tensor<1x2x13x16xf32> to tensor<1x2x?x16xf32>
  %mdd13 = tensor.cast %m13 : tensor<1x1x13x33xf32> to tensor<1x1x?x?xf32>
  %cosd13 = tensor.cast %cos13 : tensor<13x8xf32> to tensor<?x8xf32>
  %sind13 = tensor.cast %sin13 : tensor<13x8xf32> to tensor<?x8xf32>
  %ad13 = call @split_dyn(%qd13, %kd13, %vd13, %pk, %pv, %mdd13, %cosd13, %sind13, %w) : (tensor<1x4x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x?x?xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<64x64xf32>) -> tensor<1x?x64xf32>
  %ar13 = call @split13(%q13, %k13, %v13, %pk, %pv, %m13, %cos13, %sin13, %w) : (tensor<1x4x13x16xf32>, tensor<1x2x13x16xf32>, tensor<1x2x13x16xf32>, tensor<1x2x20x16xf32>, tensor<1x2x20x16xf32>, tensor<1x1x13x33xf32>, tensor<13x8xf32>, tensor<13x8xf32>, tensor<64x64xf32>) -> tensor<1x13x64xf32>
  %ad2_13 = tensor.collapse_shape %ad13 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %ar2_13 = tensor.collapse_shape %ar13 [[0, 1], [2]] : tensor<1x13x64xf32> into tensor<13x64xf32>
  %pa13 = tensor.cast %ad2_13 : tensor<?x64xf32> to tensor<?x?xf32>
  %qa13 = tensor.cast %ar2_13 : tensor<13x64xf32> to tensor<?x?xf32>
  %ma13 = call @maxdiff(%pa13, %qa13) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %oka13 = arith.cmpf ole, %ma13, %tol : f32
  vector.print %oka13 : i1
  %x13 = tensor.extract_slice %xa[0, 0, 0] [1, 13, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x13x64xf32>
  %y13 = tensor.extract_slice %ya[0, 0, 0] [1, 13, 64] [1, 1, 1] : tensor<1x13x64xf32> to tensor<1x13x64xf32>
  %xd13 = tensor.cast %x13 : tensor<1x13x64xf32> to tensor<1x?x64xf32>
  %yd13 = tensor.cast %y13 : tensor<1x13x64xf32> to tensor<1x?x64xf32>
  %bd13 = call @packed_dyn(%xd13, %yd13, %xd13) : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %br13 = call @packed13(%x13, %y13, %x13) : (tensor<1x13x64xf32>, tensor<1x13x64xf32>, tensor<1x13x64xf32>) -> tensor<1x13x64xf32>
  %bd2_13 = tensor.collapse_shape %bd13 [[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
  %br2_13 = tensor.collapse_shape %br13 [[0, 1], [2]] : tensor<1x13x64xf32> into tensor<13x64xf32>
  %pb13 = tensor.cast %bd2_13 : tensor<?x64xf32> to tensor<?x?xf32>
  %qb13 = tensor.cast %br2_13 : tensor<13x64xf32> to tensor<?x?xf32>
  %mb13 = call @maxdiff(%pb13, %qb13) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %okb13 = arith.cmpf ole, %mb13, %tol : f32
  vector.print %okb13 : i1
  return
}

