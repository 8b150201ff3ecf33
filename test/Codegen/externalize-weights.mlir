// RUN: tfm-opt %s --tfm-externalize-weights="min-bytes=64" --split-input-file | FileCheck %s

// Constants of at least min-bytes become views of the weights argument at
// 64-byte aligned offsets; the module records the layout. Smaller ones stay.
// CHECK: module attributes {tfm.weights = [{name = "big", offset = 0 : i64, value = dense<1.000000e+00> : tensor<20xf32>}, {name = "other", offset = 128 : i64, value = dense<2.000000e+00> : tensor<16xf32>}], tfm.weights_size = 192 : i64}
// CHECK-NOT: memref.global "private" constant @big
// CHECK: memref.global "private" constant @small
// CHECK-LABEL: func.func @model
// CHECK-SAME: (%[[W:.*]]: memref<192xi8> {tfm.weights}, %{{.*}}: memref<20xf32>)
// CHECK: memref.view %[[W]][%c0{{.*}}][] : memref<192xi8> to memref<20xf32>
// CHECK: memref.view %[[W]][%c128{{.*}}][] : memref<192xi8> to memref<16xf32>
// CHECK: memref.get_global @small
memref.global "private" constant @big : memref<20xf32> = dense<1.0>
memref.global "private" constant @other : memref<16xf32> = dense<2.0>
memref.global "private" constant @small : memref<4xf32> = dense<3.0>
func.func @model(%out: memref<20xf32>) attributes {tfm.entry} {
  %0 = memref.get_global @big : memref<20xf32>
  %1 = memref.get_global @other : memref<16xf32>
  %2 = memref.get_global @small : memref<4xf32>
  linalg.copy ins(%0 : memref<20xf32>) outs(%out : memref<20xf32>)
  return
}

// -----

// A constant also used outside the entry function stays a global.
// CHECK: tfm.weights = []
// CHECK: memref.global "private" constant @shared
// CHECK-LABEL: func.func @entry
// CHECK-SAME: (%{{.*}}: memref<0xi8> {tfm.weights})
// CHECK: memref.get_global @shared
memref.global "private" constant @shared : memref<32xf32> = dense<1.0>
func.func @entry() attributes {tfm.entry} {
  %0 = memref.get_global @shared : memref<32xf32>
  return
}
func.func private @helper() {
  %0 = memref.get_global @shared : memref<32xf32>
  return
}
