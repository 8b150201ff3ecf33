// RUN: tfm-opt %s --split-input-file | FileCheck %s
// RUN: tfm-opt %s --split-input-file --mlir-print-op-generic | tfm-opt | FileCheck %s

// The code generation target rides on the module.
// CHECK: module attributes {tfm.target = #tfm.cpu_target<cpu = "znver5", vector_bits = 512, int8_dot = true, bf16_dot = true>}
module attributes {tfm.target = #tfm.cpu_target<cpu = "znver5", vector_bits = 512, int8_dot = true, bf16_dot = true>} {
}

// -----

// CHECK: #tfm.cpu_target<cpu = "x86-64-v3", vector_bits = 256, int8_dot = false, bf16_dot = false>
module attributes {tfm.target = #tfm.cpu_target<cpu = "x86-64-v3", vector_bits = 256, int8_dot = false, bf16_dot = false>} {
}

// -----

// An NVIDIA GPU, with the architecture-specific features of Hopper.
// CHECK: module attributes {tfm.target = #tfm.cuda_target<chip = "sm_90a", features = "+ptx80">}
module attributes {tfm.target = #tfm.cuda_target<chip = "sm_90a", features = "+ptx80">} {
}
