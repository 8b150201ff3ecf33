// RUN: tfm-opt %s --pass-pipeline="builtin.module(func.func(tfm-approximate-math))" | FileCheck %s

// exp, tanh and erf on f32 vectors become polynomials (FMA chains); sqrt,
// which the target has an instruction for, stays.
// CHECK-LABEL: func.func @approximate
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: math.sqrt
func.func @approximate(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %0 = math.exp %x : vector<8xf32>
  %1 = math.tanh %x : vector<8xf32>
  %2 = math.erf %x : vector<8xf32>
  %3 = math.sqrt %x : vector<8xf32>
  return %0, %1, %2, %3 : vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// f64 has no approximation here: it stays for libm.
// CHECK-LABEL: func.func @double
// CHECK: math.exp %{{.*}} : f64
func.func @double(%x: f64) -> f64 {
  %0 = math.exp %x : f64
  return %0 : f64
}
