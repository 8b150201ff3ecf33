// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-factor-block-scales{vector-bits=512}))" --split-input-file | FileCheck %s
// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-factor-block-scales{vector-bits=256}))" --split-input-file | FileCheck %s --check-prefix=V256
// RUN: not tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-cpu-factor-block-scales{vector-bits=0}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADBITS
// BADBITS: error: tfm-cpu-factor-block-scales: vector-bits must be 128, 256 or 512, got 0

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A one-row tile over blocks of 32 4-bit codes (16 bytes, two codes per
// byte: two K steps per iteration), as tfm-cpu-tile-and-vectorize leaves a
// decode product: the block's scale and zero point are read outside the
// byte loop. The loop accumulates x * u in an accumulator per step and
// copy (two 16-lane registers each; unrolled twice at 512 bits for eight
// chains, not at 256), the row sums of x beside them, and applies
// s * (sum - z * rowsum) to the outer accumulator after it.
// CHECK-LABEL: func.func @one_row_nibbles
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<1x32xf32>)
// CHECK: %[[S:.*]] = arith.extf
// CHECK: %[[Z:.*]] = arith.extui
// CHECK: %[[BLOCK:.*]]:8 = scf.for %[[H:.*]] = %c0 to %c16 step %c2{{.*}} iter_args({{.*}}) -> (vector<1x32xf32>, vector<1x32xf32>, vector<1x32xf32>, vector<1x32xf32>, vector<1x1xf32>, vector<1x1xf32>, vector<1x1xf32>, vector<1x1xf32>)
// CHECK-NOT: arith.subi
// CHECK-NOT: arith.mulf
// CHECK-COUNT-2: vector.contract
// CHECK: arith.addi %[[H]]
// CHECK-COUNT-2: vector.contract
// CHECK-NOT: arith.mulf
// CHECK: scf.yield
// CHECK: %[[ZF:.*]] = arith.sitofp %[[Z]] : vector<32xi32> to vector<32xf32>
// CHECK: %[[ROWS:.*]] = vector.broadcast %{{.*}} : vector<1x1xf32> to vector<1x32xf32>
// CHECK: %[[ZR:.*]] = vector.shape_cast %[[ZF]] : vector<32xf32> to vector<1x32xf32>
// CHECK: %[[ZX:.*]] = arith.mulf %[[ROWS]], %[[ZR]]
// CHECK: %[[SUM:.*]] = arith.subf %{{.*}}, %[[ZX]]
// CHECK: %[[SR:.*]] = vector.shape_cast %[[S]] : vector<32xf32> to vector<1x32xf32>
// CHECK: %[[NEXT:.*]] = vector.fma %[[SR]], %[[SUM]], %[[ACC]] : vector<1x32xf32>
// CHECK: scf.yield %[[NEXT]]
// V256-LABEL: func.func @one_row_nibbles
// V256: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args({{.*}}) -> (vector<1x32xf32>, vector<1x32xf32>, vector<1x1xf32>, vector<1x1xf32>)
// V256: vector.fma
func.func @one_row_nibbles(%x: tensor<2x16x2xf32>, %codes: tensor<2x16x32xi8>,
                           %scale: tensor<2x32xf16>, %zero: tensor<2x32xi8>,
                           %init: vector<1x32xf32>) -> vector<1x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %f0 = arith.constant 0.0 : f32
  %h0 = arith.constant 0.0 : f16
  %i0 = arith.constant 0 : i8
  %fifteen = arith.constant dense<15> : vector<32xi32>
  %four = arith.constant dense<4> : vector<32xi32>
  %r = scf.for %b = %c0 to %c2 step %c1 iter_args(%outer = %init) -> (vector<1x32xf32>) {
    %inner = scf.for %h = %c0 to %c16 step %c1 iter_args(%acc = %outer) -> (vector<1x32xf32>) {
      %s16 = vector.transfer_read %scale[%b, %c0], %h0 {in_bounds = [true]} : tensor<2x32xf16>, vector<32xf16>
      %s = arith.extf %s16 : vector<32xf16> to vector<32xf32>
      %z8 = vector.transfer_read %zero[%b, %c0], %i0 {in_bounds = [true]} : tensor<2x32xi8>, vector<32xi8>
      %z = arith.extui %z8 : vector<32xi8> to vector<32xi32>
      %q8 = vector.transfer_read %codes[%b, %h, %c0], %i0 {in_bounds = [true]} : tensor<2x16x32xi8>, vector<32xi8>
      %q = arith.extui %q8 : vector<32xi8> to vector<32xi32>
      %lo = arith.andi %q, %fifteen : vector<32xi32>
      %lod = arith.subi %lo, %z : vector<32xi32>
      %lof = arith.sitofp %lod : vector<32xi32> to vector<32xf32>
      %w0 = arith.mulf %lof, %s : vector<32xf32>
      %w0r = vector.shape_cast %w0 : vector<32xf32> to vector<1x32xf32>
      %x0 = vector.transfer_read %x[%b, %h, %c0], %f0 {in_bounds = [true, true]} : tensor<2x16x2xf32>, vector<1x1xf32>
      %a0 = vector.contract {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %x0, %w0r, %acc : vector<1x1xf32>, vector<1x32xf32> into vector<1x32xf32>
      %hi = arith.shrui %q, %four : vector<32xi32>
      %hid = arith.subi %hi, %z : vector<32xi32>
      %hif = arith.sitofp %hid : vector<32xi32> to vector<32xf32>
      %w1 = arith.mulf %hif, %s : vector<32xf32>
      %w1r = vector.shape_cast %w1 : vector<32xf32> to vector<1x32xf32>
      %x1 = vector.transfer_read %x[%b, %h, %c1], %f0 {in_bounds = [true, true]} : tensor<2x16x2xf32>, vector<1x1xf32>
      %a1 = vector.contract {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %x1, %w1r, %a0 : vector<1x1xf32>, vector<1x32xf32> into vector<1x32xf32>
      scf.yield %a1 : vector<1x32xf32>
    }
    scf.yield %inner : vector<1x32xf32>
  }
  return %r : vector<1x32xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// Tiles of several rows keep the zero point's subtraction in the loop (the
// row sums would cost an add per row and step); the scale still comes out.
// One step of 8-bit codes and 16 lanes: four copies at 512 bits.
// CHECK-LABEL: func.func @rows
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c4{{.*}} iter_args({{.*}}) -> (vector<2x16xf32>, vector<2x16xf32>, vector<2x16xf32>, vector<2x16xf32>)
// CHECK: arith.subi
// CHECK-NOT: arith.mulf
// CHECK: scf.yield
// CHECK-NOT: arith.subf
// CHECK: %[[S:.*]] = vector.shape_cast %{{.*}} : vector<16xf32> to vector<1x16xf32>
// CHECK: %[[SB:.*]] = vector.broadcast %[[S]] : vector<1x16xf32> to vector<2x16xf32>
// CHECK: vector.fma %[[SB]], %{{.*}}, %{{.*}} : vector<2x16xf32>
func.func @rows(%x: tensor<2x32xf32>, %codes: tensor<32x16xi8>,
                %scale: vector<16xf32>, %zero: vector<16xi32>,
                %init: vector<2x16xf32>) -> vector<2x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %f0 = arith.constant 0.0 : f32
  %i0 = arith.constant 0 : i8
  %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (vector<2x16xf32>) {
    %q8 = vector.transfer_read %codes[%k, %c0], %i0 {in_bounds = [true]} : tensor<32x16xi8>, vector<16xi8>
    %q = arith.extui %q8 : vector<16xi8> to vector<16xi32>
    %d = arith.subi %q, %zero : vector<16xi32>
    %f = arith.sitofp %d : vector<16xi32> to vector<16xf32>
    %w = arith.mulf %scale, %f : vector<16xf32>
    %wr = vector.shape_cast %w : vector<16xf32> to vector<1x16xf32>
    %xk = vector.transfer_read %x[%c0, %k], %f0 {in_bounds = [true, true]} : tensor<2x32xf32>, vector<2x1xf32>
    %a = vector.contract {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %xk, %wr, %acc : vector<2x1xf32>, vector<1x16xf32> into vector<2x16xf32>
    scf.yield %a : vector<2x16xf32>
  }
  return %r : vector<2x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// A scale that changes inside the loop (the loop crosses blocks) is not
// factored out: the loop stays as it is.
// CHECK-LABEL: func.func @scale_varies
// CHECK: scf.for {{.*}} -> (vector<1x16xf32>)
// CHECK: arith.mulf
// CHECK-NOT: vector.fma
func.func @scale_varies(%x: tensor<1x32xf32>, %codes: tensor<32x16xi8>,
                        %scale: tensor<32x16xf32>,
                        %init: vector<1x16xf32>) -> vector<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %f0 = arith.constant 0.0 : f32
  %i0 = arith.constant 0 : i8
  %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%acc = %init) -> (vector<1x16xf32>) {
    %q8 = vector.transfer_read %codes[%k, %c0], %i0 {in_bounds = [true]} : tensor<32x16xi8>, vector<16xi8>
    %q = arith.extsi %q8 : vector<16xi8> to vector<16xi32>
    %f = arith.sitofp %q : vector<16xi32> to vector<16xf32>
    %s = vector.transfer_read %scale[%k, %c0], %f0 {in_bounds = [true]} : tensor<32x16xf32>, vector<16xf32>
    %w = arith.mulf %f, %s : vector<16xf32>
    %wr = vector.shape_cast %w : vector<16xf32> to vector<1x16xf32>
    %xk = vector.transfer_read %x[%c0, %k], %f0 {in_bounds = [true, true]} : tensor<1x32xf32>, vector<1x1xf32>
    %a = vector.contract {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %xk, %wr, %acc : vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
    scf.yield %a : vector<1x16xf32>
  }
  return %r : vector<1x16xf32>
}

// -----

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// Codes used as they are (no zero point), and a trip count the unrolling
// must divide: 6 trips, two copies (not four) at 512 bits.
// CHECK-LABEL: func.func @no_zero_point
// CHECK: scf.for %{{.*}} = %c0 to %c6 step %c2{{.*}} iter_args({{.*}}) -> (vector<1x16xf32>, vector<1x16xf32>)
// CHECK-NOT: arith.mulf
// CHECK: scf.yield
// CHECK: %[[SUM:.*]] = arith.addf
// CHECK-NOT: arith.subf
// CHECK: vector.fma %{{.*}}, %[[SUM]], %{{.*}} : vector<1x16xf32>
func.func @no_zero_point(%x: tensor<1x6xf32>, %codes: tensor<6x16xi8>,
                         %scale: vector<16xf32>,
                         %init: vector<1x16xf32>) -> vector<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %f0 = arith.constant 0.0 : f32
  %i0 = arith.constant 0 : i8
  %r = scf.for %k = %c0 to %c6 step %c1 iter_args(%acc = %init) -> (vector<1x16xf32>) {
    %q8 = vector.transfer_read %codes[%k, %c0], %i0 {in_bounds = [true]} : tensor<6x16xi8>, vector<16xi8>
    %q = arith.extsi %q8 : vector<16xi8> to vector<16xi32>
    %f = arith.sitofp %q : vector<16xi32> to vector<16xf32>
    %w = arith.mulf %f, %scale : vector<16xf32>
    %wr = vector.shape_cast %w : vector<16xf32> to vector<1x16xf32>
    %xk = vector.transfer_read %x[%c0, %k], %f0 {in_bounds = [true, true]} : tensor<1x6xf32>, vector<1x1xf32>
    %a = vector.contract {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %xk, %wr, %acc : vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
    scf.yield %a : vector<1x16xf32>
  }
  return %r : vector<1x16xf32>
}
