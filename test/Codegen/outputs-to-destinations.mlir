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

// expected-error @+1 {{model outputs must be statically shaped tensors, got 'tensor<?xf32>'}}
func.func @dynamic(%x: tensor<4xf32>) -> tensor<?xf32> {
  %y = tensor.cast %x : tensor<4xf32> to tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// The entry point takes bare pointers: no dynamic input either.
// expected-error @+1 {{model inputs must be statically shaped tensors, got 'tensor<?x4xf32>' for input 0}}
func.func @dynamic_input(%x: tensor<?x4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
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
