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

// f32 erf is one rational function of the clamped input: x·P(x²) / Q(x²),
// five FMAs each, one division, no interval selects.
// CHECK-LABEL: func.func @erf_rational
// CHECK-DAG: %[[C:.*]] = arith.constant dense<3.925000e+00> : vector<8xf32>
// CHECK-DAG: %[[NEG_C:.*]] = arith.constant dense<-3.925000e+00> : vector<8xf32>
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %[[C]], %[[X:.*]] : vector<8xf32>
// CHECK: %[[HIGH:.*]] = arith.select %[[ABOVE]], %[[C]], %[[X]]
// CHECK: %[[BELOW:.*]] = arith.cmpf ogt, %[[NEG_C]], %[[HIGH]]
// CHECK: %[[CLAMPED:.*]] = arith.select %[[BELOW]], %[[NEG_C]], %[[HIGH]]
// CHECK: %[[S:.*]] = arith.mulf %[[CLAMPED]], %[[CLAMPED]]
// CHECK-COUNT-5: math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK: %[[NUM:.*]] = arith.mulf %[[CLAMPED]], %{{.*}}
// CHECK-COUNT-4: math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK: %[[DEN:.*]] = math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK: %[[R:.*]] = arith.divf %[[NUM]], %[[DEN]] : vector<8xf32>
// CHECK-NOT: arith.select
// CHECK: return %[[R]]
func.func @erf_rational(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = math.erf %x : vector<8xf32>
  return %0 : vector<8xf32>
}

// f16 erf is computed in f32 by the same function.
// CHECK-LABEL: func.func @erf_f16
// CHECK: %[[X:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.cmpf olt, %{{.*}}, %[[X]] : f32
// CHECK: %[[R:.*]] = arith.divf
// CHECK: arith.truncf %[[R]] : f32 to f16
func.func @erf_f16(%x: f16) -> f16 {
  %0 = math.erf %x : f16
  return %0 : f16
}

// acosh, asinh and atanh have neither an approximation nor an LLVM
// intrinsic: on vectors, one scalar op per element (for libm); scalars stay.
// CHECK-LABEL: func.func @libm_only
// CHECK-COUNT-4: math.acosh %{{.*}} : f32
// CHECK-NOT: math.acosh %{{.*}} : vector
// CHECK: math.asinh %{{.*}} : f32
// CHECK: math.asinh %{{.*}} : f32
// CHECK-NOT: math.asinh %{{.*}} : vector
// CHECK: math.atanh %{{.*}} : f32
// CHECK-NEXT: return
func.func @libm_only(%x: vector<2x2xf32>, %y: vector<2xf32>, %z: f32) -> (vector<2x2xf32>, vector<2xf32>, f32) {
  %0 = math.acosh %x : vector<2x2xf32>
  %1 = math.asinh %y : vector<2xf32>
  %2 = math.atanh %z : f32
  return %0, %1, %2 : vector<2x2xf32>, vector<2xf32>, f32
}
