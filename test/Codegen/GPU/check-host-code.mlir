// RUN: tfm-opt %s -split-input-file -verify-diagnostics --tfm-gpu-check-host-code | FileCheck %s

// Host code that only takes views of buffers and launches kernels passes.
// CHECK-LABEL: func.func @launches
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @copy(%src: memref<16xf32>, %dst: memref<16xf32>) kernel {
      %i = gpu.thread_id x
      %v = memref.load %src[%i] : memref<16xf32>
      memref.store %v, %dst[%i] : memref<16xf32>
      gpu.return
    }
  }
  func.func @launches(%arena: memref<128xi8>, %out: memref<16xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %view = memref.view %arena[%c0][] : memref<128xi8> to memref<16xf32>
    gpu.launch_func @kernels::@copy blocks in (%c1, %c1, %c1) threads in (%c16, %c1, %c1) args(%view : memref<16xf32>, %out : memref<16xf32>)
    return
  }
}

// -----

// A kernel body not yet outlined runs on the device.
// CHECK-LABEL: func.func @inline_launch
func.func @inline_launch(%buf: memref<16xf32>) {
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c16, %sy = %c1, %sz = %c1) {
    %v = memref.load %buf[%tx] : memref<16xf32>
    memref.store %v, %buf[%tx] : memref<16xf32>
    gpu.terminator
  }
  return
}

// -----

// A loop nest left on the host: the first access is named, the rest
// counted.
func.func @unmapped(%in: memref<16xf32>, %out: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    // expected-error @below {{'memref.load' reads a buffer in the host code of a GPU model: its loop nest was not mapped to a kernel}}
    // expected-note @below {{1 more such operations in 'unmapped'}}
    %v = memref.load %in[%i] : memref<16xf32>
    memref.store %v, %out[%i] : memref<16xf32>
  }
  return
}

// -----

// A buffer the memory plan left (allocated in a loop, or dynamic).
func.func @unplanned(%n: index) {
  // expected-error @below {{'memref.alloc' allocates a buffer in the host code of a GPU model: the memory plan did not place it (a buffer in a loop, or of dynamic size)}}
  %buf = memref.alloc(%n) : memref<?xf32>
  return
}
