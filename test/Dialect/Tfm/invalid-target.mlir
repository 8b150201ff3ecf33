// RUN: tfm-opt %s --split-input-file --verify-diagnostics

// expected-error @+1 {{cpu_target_c1: vector_bits must be 128, 256 or 512, got 300}}
module attributes {tfm.target = #tfm.cpu_target<cpu = "znver5", vector_bits = 300, int8_dot = false, bf16_dot = false>} {
}

// -----

// expected-error @+1 {{cpu_target: `cpu` names the CPU}}
module attributes {tfm.target = #tfm.cpu_target<cpu = "", vector_bits = 256, int8_dot = false, bf16_dot = false>} {
}

// -----

// expected-error @+1 {{'tfm.target' must be a target attribute (#tfm.cpu_target<...>, #tfm.cuda_target<...>), got "znver5"}}
module attributes {tfm.target = "znver5"} {
}

// -----

module {
  // expected-error @+1 {{'tfm.target' belongs on a builtin.module}}
  func.func @f() attributes {tfm.target = #tfm.cpu_target<cpu = "znver5", vector_bits = 512, int8_dot = true, bf16_dot = true>} {
    return
  }
}

// -----

// expected-error @+1 {{cuda_target_c1: chip must be sm_NN or sm_NNa with NN >= 70 (e.g. "sm_80", "sm_90a"), got "sm_61"}}
module attributes {tfm.target = #tfm.cuda_target<chip = "sm_61", features = "+ptx80">} {
}

// -----

// expected-error @+1 {{cuda_target_c1: chip must be sm_NN or sm_NNa with NN >= 70 (e.g. "sm_80", "sm_90a"), got "gfx90a"}}
module attributes {tfm.target = #tfm.cuda_target<chip = "gfx90a", features = "+ptx80">} {
}

// -----

// expected-error @+1 {{cuda_target_c2: features must be +ptxNN (e.g. "+ptx80"), got "ptx80"}}
module attributes {tfm.target = #tfm.cuda_target<chip = "sm_80", features = "ptx80">} {
}
