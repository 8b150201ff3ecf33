// RUN: tfm-opt %s --tfm-outputs-to-destinations="entry-name=model_main" --split-input-file --verify-diagnostics | FileCheck %s

// Results become trailing output buffers written in place; their names
// move along.
// CHECK-LABEL: func.func @model_main
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32> {tfm.name = "x"}, %[[OUT:.*]]: memref<4xf32> {tfm.name = "y"})
// CHECK-SAME: attributes {llvm.bareptr, tfm.entry}
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK: bufferization.materialize_in_destination %[[Y]] in restrict writable %[[OUT]] : (tensor<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT: return
func.func @graph(%x: tensor<4xf32> {tfm.name = "x"}) -> (tensor<4xf32> {tfm.name = "y"}) {
  %e = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An input returned as is is copied into its output.
// CHECK-LABEL: func.func @model_main
// CHECK-SAME: (%[[X:.*]]: tensor<2xi64>, %[[O1:.*]]: memref<2xi64>, %[[O2:.*]]: memref<2xi64>)
// CHECK: bufferization.materialize_in_destination %[[X]] in restrict writable %[[O1]]
// CHECK: bufferization.materialize_in_destination %[[X]] in restrict writable %[[O2]]
func.func @identity(%x: tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>) {
  return %x, %x : tensor<2xi64>, tensor<2xi64>
}

// -----

// Dynamic dimensions (ABI 4): inputs naming one symbol share its size,
// read from `dims` and clamped to the bound; a dynamic input is a flat
// buffer at its bounds viewed with the run-time sizes, and its size queries
// become the symbol; each dynamic output dimension's size is written after
// the symbols, and its bound recorded.
// CHECK-LABEL: func.func @model_main
// CHECK-SAME: (%[[X:[^:]*]]: memref<96xf32> {{.*}}, %[[P:[^:]*]]: memref<32xi64> {{.*}}, %[[Y:[^:]*]]: memref<96xf32> {tfm.name = "y"}, %[[DIMS:[^:]*]]: memref<2xi64> {tfm.name = "dims"})
// CHECK-SAME: tfm.input_dims = array<i32: -1, 0, -1, -1, 0>
// CHECK-SAME: tfm.output_dim_bounds = array<i64: 32>
// CHECK-SAME: tfm.symbol_bounds = array<i64: 32>
// CHECK-SAME: tfm.symbols = ["seq"]
// CHECK: %[[RAW:.*]] = memref.load %[[DIMS]][%c0]
// CHECK: %[[N:.*]] = arith.index_cast %[[RAW]] : i64 to index
// CHECK: %[[S:.*]] = affine.min #{{.*}}()[%[[N]]]
// CHECK: %[[STRIDE:.*]] = affine.apply #{{.*}}()[%[[S]]]
// CHECK: %[[XV:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, %[[S]], 3], strides: [%[[STRIDE]], 3, 1] : memref<96xf32> to memref<1x?x3xf32>
// CHECK: %[[XT:.*]] = bufferization.to_tensor %[[XV]] restrict
// CHECK: memref.reinterpret_cast %[[P]] to offset: [0], sizes: [1, %[[S]]], strides: [%[[S]], 1]
// CHECK: tensor.empty(%[[S]]) : tensor<1x?x3xf32>
// CHECK: %[[SIZE:.*]] = arith.index_cast %[[S]] : index to i64
// CHECK: memref.store %[[SIZE]], %[[DIMS]][%{{.*}}]
// CHECK: %[[YV:.*]] = memref.reinterpret_cast %[[Y]] to offset: [0], sizes: [1, %[[S]], 3]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[YV]]
func.func @dynamic(%x: tensor<1x?x3xf32> {tfm.name = "x", tfm.dims = ["", "seq", ""], tfm.dim_bounds = array<i64: 1, 64, 3>},
                   %p: tensor<1x?xi64> {tfm.name = "p", tfm.dims = ["", "seq"], tfm.dim_bounds = array<i64: 1, 32>})
    -> (tensor<1x?x3xf32> {tfm.name = "y"}) {
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<1x?x3xf32>
  %e = tensor.empty(%n) : tensor<1x?x3xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x?x3xf32>) outs(%e : tensor<1x?x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<1x?x3xf32>
  return %0 : tensor<1x?x3xf32>
}

// -----

// A derived symbol (tfm.derived_dims: the mask of a decoder's past export,
// the cache rows plus the sequence) is computed from its base, clamped,
// plus the offset; its slot in `dims` is not read. A bound given for it
// bounds the base too (here 20 - 4 = 16 < 32).
// CHECK-LABEL: func.func @model_main
// CHECK-SAME: (%[[X:[^:]*]]: memref<16xf32> {{.*}}, %[[M:[^:]*]]: memref<20xf32> {{.*}}, %[[Y:[^:]*]]: memref<20xf32> {tfm.name = "y"}, %[[DIMS:[^:]*]]: memref<3xi64> {tfm.name = "dims"})
// CHECK-SAME: tfm.input_dims = array<i32: 0, 1>
// CHECK-SAME: tfm.output_dim_bounds = array<i64: 20>
// CHECK-SAME: tfm.symbol_bases = array<i32: -1, 0>
// CHECK-SAME: tfm.symbol_bounds = array<i64: 16, 20>
// CHECK-SAME: tfm.symbol_offsets = array<i64: 0, 4>
// CHECK-SAME: tfm.symbols = ["seq", "total"]
// CHECK-NOT: tfm.derived_dims
// CHECK: %[[RAW:.*]] = memref.load %[[DIMS]][%c0]
// CHECK: %[[N:.*]] = arith.index_cast %[[RAW]] : i64 to index
// CHECK: %[[S:.*]] = affine.min #{{.*}}()[%[[N]]]
// CHECK: %[[T:.*]] = affine.apply #[[PLUS4:.*]]()[%[[S]]]
// CHECK-NOT: memref.load
// CHECK: memref.reinterpret_cast %[[X]] to offset: [0], sizes: [%[[S]]]
// CHECK: memref.reinterpret_cast %[[M]] to offset: [0], sizes: [%[[T]]]
func.func @derived(%x: tensor<?xf32> {tfm.name = "x", tfm.dims = ["seq"], tfm.dim_bounds = array<i64: 32>},
                   %m: tensor<?xf32> {tfm.name = "m", tfm.dims = ["total"], tfm.dim_bounds = array<i64: 20>})
    -> (tensor<?xf32> {tfm.name = "y"}) attributes {tfm.derived_dims = {total = ["seq", 4]}} {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %p = tensor.pad %x low[4] high[0] {
  ^bb0(%i: index):
    tensor.yield %pad : f32
  } : tensor<?xf32> to tensor<?xf32>
  %n = tensor.dim %m, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %0 = linalg.add ins(%p, %m : tensor<?xf32>, tensor<?xf32>) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Output sizes through destination passing: a loop writing vectors into its
// tensor, an scf.if whose branches both pass one tensor through (the tiers
// of a dynamic attention). The stored size is the symbol itself.
// CHECK-LABEL: func.func @model_main
// CHECK-SAME: tfm.output_dim_bounds = array<i64: 32>
// CHECK: %[[S:.*]] = affine.min
// CHECK: %[[SIZE:.*]] = arith.index_cast %[[S]] : index to i64
// CHECK: memref.store %[[SIZE]]
func.func @passed_through(%x: tensor<?xf32> {tfm.name = "x", tfm.dims = ["seq"], tfm.dim_bounds = array<i64: 32>})
    -> (tensor<?xf32> {tfm.name = "y"}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %w = scf.for %i = %c0 to %n step %c1 iter_args(%t = %e) -> (tensor<?xf32>) {
    %v = vector.transfer_read %x[%i], %pad {in_bounds = [true]} : tensor<?xf32>, vector<1xf32>
    %t1 = vector.transfer_write %v, %t[%i] {in_bounds = [true]} : vector<1xf32>, tensor<?xf32>
    scf.yield %t1 : tensor<?xf32>
  }
  %some = arith.cmpi ugt, %n, %c1 : index
  %r = scf.if %some -> (tensor<?xf32>) {
    %f = scf.forall (%i) in (%n) shared_outs(%o = %w) -> (tensor<?xf32>) {
      %v = tensor.extract_slice %x[%i] [1] [1] : tensor<?xf32> to tensor<1xf32>
      scf.forall.in_parallel {
        tensor.parallel_insert_slice %v into %o[%i] [1] [1] : tensor<1xf32> into tensor<?xf32>
      }
    }
    scf.yield %f : tensor<?xf32>
  } else {
    scf.yield %w : tensor<?xf32>
  }
  return %r : tensor<?xf32>
}

// -----

// Branches that yield different tensors say nothing of the result's size
// (taking either branch's would be wrong), and bounds analysis does not
// bound an scf.if's tensor: an error.
// expected-error @+1 {{model output 'y' dimension 0 has no upper bound that follows from the inputs' bounds}}
func.func @different_branches(%x: tensor<?xf32> {tfm.name = "x", tfm.dims = ["seq"], tfm.dim_bounds = array<i64: 32>})
    -> (tensor<?xf32> {tfm.name = "y"}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xf32>
  %some = arith.cmpi ugt, %n, %c1 : index
  %r = scf.if %some -> (tensor<?xf32>) {
    scf.yield %e : tensor<?xf32>
  } else {
    %h = tensor.extract_slice %x[1] [%c1] [1] : tensor<?xf32> to tensor<?xf32>
    scf.yield %h : tensor<?xf32>
  }
  return %r : tensor<?xf32>
}

// -----

// A derived symbol's base must be a dynamic dimension of an input.
// expected-error @+1 {{model input 'm' dimension 0 ('total') is 'seq' + 4, but no input has 'seq' as a dynamic dimension of its own}}
func.func @derived_without_base(%m: tensor<?xf32> {tfm.name = "m", tfm.dims = ["total"], tfm.dim_bounds = array<i64: 20>})
    -> tensor<?xf32> attributes {tfm.derived_dims = {total = ["seq", 4]}} {
  return %m : tensor<?xf32>
}

// -----

// expected-error @+1 {{tfm.derived_dims: 'total' must be ["symbol", offset] with an offset of 0 or more}}
func.func @derived_malformed(%m: tensor<?xf32> {tfm.name = "m", tfm.dims = ["total"], tfm.dim_bounds = array<i64: 20>})
    -> tensor<?xf32> attributes {tfm.derived_dims = {total = ["seq", -4]}} {
  return %m : tensor<?xf32>
}

// -----

// An unnamed dynamic dimension is a symbol of its own, named after its
// input; without a bound it is an error.
// expected-error @+1 {{model input 'x' dimension 0 ('?') has no upper bound: give one with tfm.dim_bounds or max-dim (tfmc: --max-seq N, or --dim NAME=?N)}}
func.func @unbounded(%x: tensor<?x4xf32> {tfm.name = "x"}) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// -----

// An output whose size follows from nothing bounded.
// expected-error @+1 {{model output 'y' dimension 0 has no upper bound that follows from the inputs' bounds}}
func.func @unbounded_output(%x: tensor<4xf32>, %n: tensor<i64>) -> (tensor<?xf32> {tfm.name = "y"}) {
  %v = tensor.extract %n[] : tensor<i64>
  %i = arith.index_cast %v : i64 to index
  %e = tensor.empty(%i) : tensor<?xf32>
  return %e : tensor<?xf32>
}

// -----

// expected-error @+1 {{model input 'x' of rank 2 has tfm.dims or tfm.dim_bounds of another size}}
func.func @bad_dims(%x: tensor<?x4xf32> {tfm.name = "x", tfm.dims = ["n"]}) -> tensor<4xf32> {
  %y = tensor.extract_slice %x[0, 0] [1, 4] [1, 1] : tensor<?x4xf32> to tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{entry-name needs exactly one public function, found 2}}
module {
  func.func @a(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
  func.func @b(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// Buffers without elements cross the entry point as 0xT: an input's users
// read an empty tensor of its shape, and nothing is stored into an output.
// CHECK-LABEL: func.func @model_main
// CHECK-SAME: (%{{.*}}: tensor<0xf32> {tfm.name = "x"}, %{{.*}}: memref<0xf32> {tfm.name = "y"})
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x0xf32>
// CHECK-NOT: materialize_in_destination
// CHECK: return
func.func @empty(%x: tensor<3x0xf32> {tfm.name = "x"}) -> (tensor<3x0xf32> {tfm.name = "y"}) {
  %0 = math.exp %x : tensor<3x0xf32>
  return %0 : tensor<3x0xf32>
}
