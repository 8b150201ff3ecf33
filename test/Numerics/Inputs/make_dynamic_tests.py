#!/usr/bin/env python3
"""Writes the numerics tests of dynamic dimensions, test/Numerics/dynamic-*.mlir.

Each test holds one function compiled with its sequence dimension dynamic
(`?`), the same ops compiled for static lengths 1, 7 and 13, and a @main
that runs both on the same deterministic inputs in mlir-runner and prints 1
where they agree. (The tfm runtime's ABI does not take dynamic shapes yet,
so the tests lower the module with tfm-opt rather than tfmc.)

Usage: make_dynamic_tests.py OUTPUT_DIR   (test/Numerics from the root)
"""

import math
import os
import sys

SIZES = [1, 7, 13]
MAX = max(SIZES)

BUFFERIZE = ('tfm-opt --one-shot-bufferize="bufferize-function-boundaries '
             'function-boundary-type-conversion=identity-layout-map '
             'allow-return-allocs-from-loops"')


def run_lines(first, bits, llvm_options="", condition=None):
    """RUN lines taking the module from `first` (a tfm-opt command) to
    mlir-runner and FileCheck."""
    steps = [first, BUFFERIZE,
             f'tfm-opt --tfm-cpu-llvm="vector-bits={bits}{llvm_options}"',
             "mlir-runner -e main -entry-point-result=void %mlir_runner_libs",
             "FileCheck %s"]
    if condition:
        steps[0] = f"%if {condition} %{{ " + steps[0]
        steps[-1] += " %}"
    lines = [f"// RUN: {steps[0]} \\"]
    lines += [f"// RUN:   | {s} \\" for s in steps[1:-1]]
    lines.append(f"// RUN:   | {steps[-1]}")
    return "\n".join(lines)


def pipeline(bits, options=""):
    return (f'tfm-opt %s --tfm-cpu-pipeline="compile-to=vectorized '
            f'num-threads=2 vector-bits={bits}{options}"')


HELPERS = '''// sin(a * i + b * j) over [rows, cols].
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
// The largest |p - q| / max(1, |q|) (RELATIVE) or |p - q|.
func.func private @maxdiff(%p: tensor<?x?xf32>, %q: tensor<?x?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %p, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %p, %c1 : tensor<?x?xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %d0 step %c1 iter_args(%m = %zero) -> f32 {
    %r1 = scf.for %j = %c0 to %d1 step %c1 iter_args(%m1 = %m) -> f32 {
      %u = tensor.extract %p[%i, %j] : tensor<?x?xf32>
      %v = tensor.extract %q[%i, %j] : tensor<?x?xf32>
      %d = arith.subf %u, %v : f32
      %a = math.absf %d : f32
      %av = math.absf %v : f32
      %den = arith.maximumf %av, %one : f32
      %rel = arith.divf %a, %den : f32
      %e = arith.select %RELATIVE, %rel, %a : f32
      %m2 = arith.maximumf %m1, %e : f32
      scf.yield %m2 : f32
    }
    scf.yield %r1 : f32
  }
  return %r : f32
}
'''


def helpers(relative):
    flag = "true" if relative else "false"
    return HELPERS.replace(
        "  %zero = arith.constant 0.0 : f32\n  %one",
        f"  %RELATIVE = arith.constant {flag}\n"
        "  %zero = arith.constant 0.0 : f32\n  %one").replace(
        "(RELATIVE)", "(relative)" if relative else "(absolute)")


def wave(name, rows, cols, a, b):
    """%name: a static [rows, cols] tensor of wave values."""
    return (f"  %{name}_rows = arith.constant {rows} : index\n"
            f"  %{name}_cols = arith.constant {cols} : index\n"
            f"  %{name}_a = arith.constant {a} : f32\n"
            f"  %{name}_b = arith.constant {b} : f32\n"
            f"  %{name}_d = call @wave(%{name}_rows, %{name}_cols, %{name}_a, "
            f"%{name}_b) : (index, index, f32, f32) -> tensor<?x?xf32>\n"
            f"  %{name} = tensor.cast %{name}_d : tensor<?x?xf32> to "
            f"tensor<{rows}x{cols}xf32>\n")


def compare(tag, dynamic, static, rows, cols, tol):
    """Prints 1 when the [1, rows, cols] results agree within `tol`."""
    return (f"  %{tag}_d2 = tensor.collapse_shape %{dynamic} [[0, 1], [2]] : "
            f"tensor<1x?x{cols}xf32> into tensor<?x{cols}xf32>\n"
            f"  %{tag}_s2 = tensor.collapse_shape %{static} [[0, 1], [2]] : "
            f"tensor<1x{rows}x{cols}xf32> into tensor<{rows}x{cols}xf32>\n"
            f"  %{tag}_p = tensor.cast %{tag}_d2 : tensor<?x{cols}xf32> to "
            f"tensor<?x?xf32>\n"
            f"  %{tag}_q = tensor.cast %{tag}_s2 : tensor<{rows}x{cols}xf32> to "
            f"tensor<?x?xf32>\n"
            f"  %{tag}_m = call @maxdiff(%{tag}_p, %{tag}_q) : "
            f"(tensor<?x?xf32>, tensor<?x?xf32>) -> f32\n"
            f"  %{tag}_tol = arith.constant {tol} : f32\n"
            f"  %{tag}_ok = arith.cmpf ole, %{tag}_m, %{tag}_tol : f32\n"
            f"  vector.print %{tag}_ok : i1\n")


def rows_test():
    def kernel(name, s):
        t = f"tensor<1x{s}x64xf32>"
        h = f"tensor<1x{s}x40xf32>"
        return f'''func.func @{name}(%x: {t}, %g: tensor<64xf32>, %b: tensor<64xf32>, %w1: tensor<40x64xf32>, %b1: tensor<40xf32>, %w2: tensor<64x40xf32>) -> {t} {{
  %n = tfm.layer_norm %x scale(%g) bias(%b) axes = [2] epsilon = 1.0e-5 : ({t}, tensor<64xf32>, tensor<64xf32>) -> {t}
  %h = tfm.linear %n, %w1, %b1 activation = gelu : ({t}, tensor<40x64xf32>, tensor<40xf32>) -> {h}
  %p = tfm.softmax %h axis = 2 : {h}
  %y = tfm.linear %p, %w2 residual(%x) : ({h}, tensor<64x40xf32>, {t}) -> {t}
  %r = tfm.rms_norm %y scale(%g) axes = [2] epsilon = 1.0e-6 : ({t}, tensor<64xf32>) -> {t}
  %z = tfm.mul %r, %x : ({t}, {t}) -> {t}
  return %z : {t}
}}
'''
    main = ["func.func @main() {\n",
            wave("x2", MAX, 64, 0.37, 0.11),
            f"  %xa = tensor.expand_shape %x2 [[0, 1], [2]] output_shape [1, {MAX}, 64] : tensor<{MAX}x64xf32> into tensor<1x{MAX}x64xf32>\n",
            wave("g2", 1, 64, 0.23, 0.71),
            "  %g = tensor.collapse_shape %g2 [[0, 1]] : tensor<1x64xf32> into tensor<64xf32>\n",
            wave("b2", 1, 64, 0.05, 0.11),
            "  %b = tensor.collapse_shape %b2 [[0, 1]] : tensor<1x64xf32> into tensor<64xf32>\n",
            wave("w1", 40, 64, 0.11, 0.37),
            wave("b12", 1, 40, 0.71, 0.23),
            "  %b1 = tensor.collapse_shape %b12 [[0, 1]] : tensor<1x40xf32> into tensor<40xf32>\n",
            wave("w2", 64, 40, 0.23, 0.05)]
    args = "%g, %b, %w1, %b1, %w2"
    arg_types = ("tensor<64xf32>, tensor<64xf32>, tensor<40x64xf32>, "
                 "tensor<40xf32>, tensor<64x40xf32>")
    for s in SIZES:
        t = f"tensor<1x{s}x64xf32>"
        main.append(
            f"  %x{s} = tensor.extract_slice %xa[0, 0, 0] [1, {s}, 64] [1, 1, 1] : tensor<1x{MAX}x64xf32> to {t}\n"
            f"  %xd{s} = tensor.cast %x{s} : {t} to tensor<1x?x64xf32>\n"
            f"  %yd{s} = call @dyn(%xd{s}, {args}) : (tensor<1x?x64xf32>, {arg_types}) -> tensor<1x?x64xf32>\n"
            f"  %yr{s} = call @ref{s}(%x{s}, {args}) : ({t}, {arg_types}) -> {t}\n"
            + compare(f"c{s}", f"yd{s}", f"yr{s}", s, 64, "1.0e-5"))
    main.append("  return\n}\n")
    header = f'''// Code generation of a dynamic row dimension, run: a model slice (layer
// norm, a linear with bias and GELU, softmax, a linear with a residual, RMS
// norm, a product) compiled once with its sequence dimension dynamic
// computes, at 1, 7 and 13 rows, what the same ops compiled for each static
// length compute. At 256 bits a product's rows are 6-row register tiles up
// to the last multiple of 6 and one-row tiles after it, at 512 bits 8-row
// ones: 1 row is all remainder, 7 and 13 are both. Each check prints 1
// when the two agree within 1e-5 (absolute). Generated by
// Inputs/make_dynamic_tests.py.
{run_lines(pipeline(256), 256)}
{run_lines(pipeline(512), 512)}
// CHECK-COUNT-3: 1
// CHECK-NOT: {{{{.}}}}
'''
    body = [kernel("dyn", "?")] + [kernel(f"ref{s}", s) for s in SIZES]
    return header + "\n" + "\n".join(body) + helpers(False) + "".join(main)


def data_movement_test():
    def kernel(name, s):
        S = s if s == "?" else str(s)
        S2 = s if s == "?" else str(2 * s)
        t = f"tensor<1x{S}x64xf32>"
        return f'''func.func @{name}(%x: {t}, %ids: tensor<1x{S}xi64>, %table: tensor<50x64xf32>) -> tensor<1x{S2}x64xf32> {{
  %e = tfm.gather %table, %ids axis = 0 : (tensor<50x64xf32>, tensor<1x{S}xi64>) -> {t}
  %a = tfm.add %x, %e : ({t}, {t}) -> {t}
  %r = tfm.reshape %a : {t} -> tensor<1x{S}x4x16xf32>
  %t = tfm.transpose %r perm = [0, 2, 1, 3] : tensor<1x{S}x4x16xf32> -> tensor<1x4x{S}x16xf32>
  %c = tfm.concat %t, %t axis = 3 : (tensor<1x4x{S}x16xf32>, tensor<1x4x{S}x16xf32>) -> tensor<1x4x{S}x32xf32>
  %s:2 = tfm.split %c axis = 3 : tensor<1x4x{S}x32xf32> -> tensor<1x4x{S}x8xf32>, tensor<1x4x{S}x24xf32>
  %h = tfm.select %s#1 axis = 1 index = 2 : tensor<1x4x{S}x24xf32> -> tensor<1x{S}x24xf32>
  %hs = tfm.reduce_sum %h axes = [2] keepdims : (tensor<1x{S}x24xf32>) -> tensor<1x{S}x1xf32>
  %hx = tfm.expand %hs : tensor<1x{S}x1xf32> -> tensor<1x{S}x16xf32>
  %t2 = tfm.transpose %t perm = [0, 2, 1, 3] : tensor<1x4x{S}x16xf32> -> tensor<1x{S}x4x16xf32>
  %hx4 = tfm.reshape %hx : tensor<1x{S}x16xf32> -> tensor<1x{S}x1x16xf32>
  %m = tfm.mul %t2, %hx4 : (tensor<1x{S}x4x16xf32>, tensor<1x{S}x1x16xf32>) -> tensor<1x{S}x4x16xf32>
  %y = tfm.reshape %m : tensor<1x{S}x4x16xf32> -> {t}
  %z = tfm.concat %y, %x axis = 1 : ({t}, {t}) -> tensor<1x{S2}x64xf32>
  return %z : tensor<1x{S2}x64xf32>
}}
'''
    ids = f'''// Token ids (7 i + 3) mod 50 - 50: negative ids count from the end.
func.func private @ids(%n: index) -> tensor<1x?xi64> {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tensor.empty(%n) : tensor<1x?xi64>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> tensor<1x?xi64> {{
    %ii = arith.index_cast %i : index to i64
    %c7 = arith.constant 7 : i64
    %c3 = arith.constant 3 : i64
    %c50 = arith.constant 50 : i64
    %a = arith.muli %ii, %c7 : i64
    %b = arith.addi %a, %c3 : i64
    %m = arith.remsi %b, %c50 : i64
    %v = arith.subi %m, %c50 : i64
    %acc2 = tensor.insert %v into %acc[%c0, %i] : tensor<1x?xi64>
    scf.yield %acc2 : tensor<1x?xi64>
  }}
  return %r : tensor<1x?xi64>
}}
'''
    main = ["func.func @main() {\n",
            wave("x2", MAX, 64, 0.37, 0.11),
            f"  %xa = tensor.expand_shape %x2 [[0, 1], [2]] output_shape [1, {MAX}, 64] : tensor<{MAX}x64xf32> into tensor<1x{MAX}x64xf32>\n",
            wave("table", 50, 64, 0.23, 0.37),
            f"  %nids = arith.constant {MAX} : index\n"
            f"  %idd = call @ids(%nids) : (index) -> tensor<1x?xi64>\n"
            f"  %idall = tensor.cast %idd : tensor<1x?xi64> to tensor<1x{MAX}xi64>\n"]
    for s in SIZES:
        t = f"tensor<1x{s}x64xf32>"
        t2 = f"tensor<1x{2 * s}x64xf32>"
        main.append(
            f"  %x{s} = tensor.extract_slice %xa[0, 0, 0] [1, {s}, 64] [1, 1, 1] : tensor<1x{MAX}x64xf32> to {t}\n"
            f"  %i{s} = tensor.extract_slice %idall[0, 0] [1, {s}] [1, 1] : tensor<1x{MAX}xi64> to tensor<1x{s}xi64>\n"
            f"  %xd{s} = tensor.cast %x{s} : {t} to tensor<1x?x64xf32>\n"
            f"  %id{s} = tensor.cast %i{s} : tensor<1x{s}xi64> to tensor<1x?xi64>\n"
            f"  %yd{s} = call @dyn(%xd{s}, %id{s}, %table) : (tensor<1x?x64xf32>, tensor<1x?xi64>, tensor<50x64xf32>) -> tensor<1x?x64xf32>\n"
            f"  %yr{s} = call @ref{s}(%x{s}, %i{s}, %table) : ({t}, tensor<1x{s}xi64>, tensor<50x64xf32>) -> {t2}\n"
            f"  %c1_{s} = arith.constant 1 : index\n"
            f"  %rows{s} = tensor.dim %yd{s}, %c1_{s} : tensor<1x?x64xf32>\n"
            f"  vector.print %rows{s} : index\n"
            + compare(f"c{s}", f"yd{s}", f"yr{s}", 2 * s, 64, "1.0e-5"))
    main.append("  return\n}\n")
    checks = "\n".join(f"// CHECK{'' if i == 0 else '-NEXT'}: {2 * s}\n// CHECK-NEXT: 1"
                       for i, s in enumerate(SIZES))
    header = f'''// Data movement with a dynamic sequence dimension, run: an embedding
// gather of a run-time number of token ids (negative ones counting from the
// end), reshapes to heads and back, transposes, a concat and a split across
// the heads' features, a select, a sum broadcast back with expand, and a
// concat along the dynamic dimension itself (2 S rows out). One dynamic
// compilation against static ones at 1, 7 and 13 rows; each check prints
// the output's rows, then 1 when the two agree within 1e-5. Generated by
// Inputs/make_dynamic_tests.py.
{run_lines(pipeline(256), 256)}
{run_lines(pipeline(512), 512)}
{checks}
// CHECK-NOT: {{{{.}}}}
'''
    body = [kernel("dyn", "?")] + [kernel(f"ref{s}", s) for s in SIZES]
    return header + "\n" + "\n".join(body) + helpers(False) + ids + "".join(main)


PAST = 20


def attention_test():
    def kernels(suffix, s):
        S = s if s == "?" else str(s)
        T = s if s == "?" else str(PAST + s)
        return f'''func.func @split{suffix}(%q: tensor<1x4x{S}x16xf32>, %k: tensor<1x2x{S}x16xf32>, %v: tensor<1x2x{S}x16xf32>, %pk: tensor<1x2x{PAST}x16xf32>, %pv: tensor<1x2x{PAST}x16xf32>, %m: tensor<1x1x{S}x{T}xf32>, %cos: tensor<{S}x8xf32>, %sin: tensor<{S}x8xf32>, %w: tensor<64x64xf32>) -> tensor<1x{S}x64xf32> {{
  %qr = tfm.rope %q, %cos, %sin : (tensor<1x4x{S}x16xf32>, tensor<{S}x8xf32>, tensor<{S}x8xf32>) -> tensor<1x4x{S}x16xf32>
  %kr = tfm.rope %k, %cos, %sin : (tensor<1x2x{S}x16xf32>, tensor<{S}x8xf32>, tensor<{S}x8xf32>) -> tensor<1x2x{S}x16xf32>
  %a = tfm.attention %qr, %kr, %v past(%pk, %pv) mask(%m) heads = 4 kv_heads = 2 causal : (tensor<1x4x{S}x16xf32>, tensor<1x2x{S}x16xf32>, tensor<1x2x{S}x16xf32>, tensor<1x2x{PAST}x16xf32>, tensor<1x2x{PAST}x16xf32>, tensor<1x1x{S}x{T}xf32>) -> tensor<1x4x{S}x16xf32>
  %t = tfm.transpose %a perm = [0, 2, 1, 3] : tensor<1x4x{S}x16xf32> -> tensor<1x{S}x4x16xf32>
  %r = tfm.reshape %t : tensor<1x{S}x4x16xf32> -> tensor<1x{S}x64xf32>
  %y = tfm.matmul %r, %w : (tensor<1x{S}x64xf32>, tensor<64x64xf32>) -> tensor<1x{S}x64xf32>
  return %y : tensor<1x{S}x64xf32>
}}
func.func @packed{suffix}(%q: tensor<1x{S}x64xf32>, %k: tensor<1x{S}x64xf32>, %v: tensor<1x{S}x64xf32>) -> tensor<1x{S}x64xf32> {{
  %a = tfm.attention %q, %k, %v heads = 4 kv_heads = 4 causal : (tensor<1x{S}x64xf32>, tensor<1x{S}x64xf32>, tensor<1x{S}x64xf32>) -> tensor<1x{S}x64xf32>
  %kt = tfm.transpose %k perm = [0, 2, 1] : tensor<1x{S}x64xf32> -> tensor<1x64x{S}xf32>
  %sc = tfm.matmul %q, %kt : (tensor<1x{S}x64xf32>, tensor<1x64x{S}xf32>) -> tensor<1x{S}x{S}xf32>
  %p = tfm.softmax %sc axis = 2 : tensor<1x{S}x{S}xf32>
  %o = tfm.matmul %p, %v : (tensor<1x{S}x{S}xf32>, tensor<1x{S}x64xf32>) -> tensor<1x{S}x64xf32>
  %y = tfm.add %a, %o : (tensor<1x{S}x64xf32>, tensor<1x{S}x64xf32>) -> tensor<1x{S}x64xf32>
  return %y : tensor<1x{S}x64xf32>
}}
'''
    mask = f'''// An additive mask over [queries, past + queries] keys: the cache rows
// 12..{PAST - 1} are not filled yet (hidden), the others and the new keys shown.
func.func private @mask(%rows: index, %cols: index) -> tensor<?x?xf32> {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  %cpast = arith.constant {PAST} : index
  %zero = arith.constant 0.0 : f32
  %hidden = arith.constant -1.0e30 : f32
  %t = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = scf.for %i = %c0 to %rows step %c1 iter_args(%acc = %t) -> tensor<?x?xf32> {{
    %r1 = scf.for %j = %c0 to %cols step %c1 iter_args(%acc1 = %acc) -> tensor<?x?xf32> {{
      %lo = arith.cmpi sge, %j, %c12 : index
      %hi = arith.cmpi slt, %j, %cpast : index
      %h = arith.andi %lo, %hi : i1
      %x = arith.select %h, %hidden, %zero : f32
      %acc2 = tensor.insert %x into %acc1[%i, %j] : tensor<?x?xf32>
      scf.yield %acc2 : tensor<?x?xf32>
    }}
    scf.yield %r1 : tensor<?x?xf32>
  }}
  return %r : tensor<?x?xf32>
}}
'''
    def heads(name, h, rows, a, b):
        return (wave(name + "2", h * rows, 16, a, b) +
                f"  %{name} = tensor.expand_shape %{name}2 [[0, 1, 2], [3]] output_shape [1, {h}, {rows}, 16] : tensor<{h * rows}x16xf32> into tensor<1x{h}x{rows}x16xf32>\n")
    main = ["func.func @main() {\n",
            heads("qa", 4, MAX, 0.37, 0.11), heads("ka", 2, MAX, 0.23, 0.05),
            heads("va", 2, MAX, 0.71, 0.37), heads("pk", 2, PAST, 0.11, 0.71),
            heads("pv", 2, PAST, 0.05, 0.23),
            wave("cosa", MAX, 8, 0.37, 0.23), wave("sina", MAX, 8, 0.11, 0.05),
            wave("w", 64, 64, 0.05, 0.11),
            wave("x2", MAX, 64, 0.23, 0.37),
            f"  %xa = tensor.expand_shape %x2 [[0, 1], [2]] output_shape [1, {MAX}, 64] : tensor<{MAX}x64xf32> into tensor<1x{MAX}x64xf32>\n",
            wave("y2", MAX, 64, 0.71, 0.11),
            f"  %ya = tensor.expand_shape %y2 [[0, 1], [2]] output_shape [1, {MAX}, 64] : tensor<{MAX}x64xf32> into tensor<1x{MAX}x64xf32>\n"]
    split_types = lambda S, T: (f"tensor<1x4x{S}x16xf32>, tensor<1x2x{S}x16xf32>, tensor<1x2x{S}x16xf32>, "
                                f"tensor<1x2x{PAST}x16xf32>, tensor<1x2x{PAST}x16xf32>, tensor<1x1x{S}x{T}xf32>, "
                                f"tensor<{S}x8xf32>, tensor<{S}x8xf32>, tensor<64x64xf32>")
    for s in SIZES:
        t = PAST + s
        main.append(
            f"  %q{s} = tensor.extract_slice %qa[0, 0, 0, 0] [1, 4, {s}, 16] [1, 1, 1, 1] : tensor<1x4x{MAX}x16xf32> to tensor<1x4x{s}x16xf32>\n"
            f"  %k{s} = tensor.extract_slice %ka[0, 0, 0, 0] [1, 2, {s}, 16] [1, 1, 1, 1] : tensor<1x2x{MAX}x16xf32> to tensor<1x2x{s}x16xf32>\n"
            f"  %v{s} = tensor.extract_slice %va[0, 0, 0, 0] [1, 2, {s}, 16] [1, 1, 1, 1] : tensor<1x2x{MAX}x16xf32> to tensor<1x2x{s}x16xf32>\n"
            f"  %cos{s} = tensor.extract_slice %cosa[0, 0] [{s}, 8] [1, 1] : tensor<{MAX}x8xf32> to tensor<{s}x8xf32>\n"
            f"  %sin{s} = tensor.extract_slice %sina[0, 0] [{s}, 8] [1, 1] : tensor<{MAX}x8xf32> to tensor<{s}x8xf32>\n"
            f"  %s_{s} = arith.constant {s} : index\n"
            f"  %t_{s} = arith.constant {t} : index\n"
            f"  %md{s} = call @mask(%s_{s}, %t_{s}) : (index, index) -> tensor<?x?xf32>\n"
            f"  %ms{s} = tensor.cast %md{s} : tensor<?x?xf32> to tensor<{s}x{t}xf32>\n"
            f"  %m{s} = tensor.expand_shape %ms{s} [[0, 1, 2], [3]] output_shape [1, 1, {s}, {t}] : tensor<{s}x{t}xf32> into tensor<1x1x{s}x{t}xf32>\n"
            f"  %qd{s} = tensor.cast %q{s} : tensor<1x4x{s}x16xf32> to tensor<1x4x?x16xf32>\n"
            f"  %kd{s} = tensor.cast %k{s} : tensor<1x2x{s}x16xf32> to tensor<1x2x?x16xf32>\n"
            f"  %vd{s} = tensor.cast %v{s} : tensor<1x2x{s}x16xf32> to tensor<1x2x?x16xf32>\n"
            f"  %mdd{s} = tensor.cast %m{s} : tensor<1x1x{s}x{t}xf32> to tensor<1x1x?x?xf32>\n"
            f"  %cosd{s} = tensor.cast %cos{s} : tensor<{s}x8xf32> to tensor<?x8xf32>\n"
            f"  %sind{s} = tensor.cast %sin{s} : tensor<{s}x8xf32> to tensor<?x8xf32>\n"
            f"  %ad{s} = call @split_dyn(%qd{s}, %kd{s}, %vd{s}, %pk, %pv, %mdd{s}, %cosd{s}, %sind{s}, %w) : ({split_types('?', '?')}) -> tensor<1x?x64xf32>\n"
            f"  %ar{s} = call @split{s}(%q{s}, %k{s}, %v{s}, %pk, %pv, %m{s}, %cos{s}, %sin{s}, %w) : ({split_types(s, t)}) -> tensor<1x{s}x64xf32>\n"
            + compare(f"a{s}", f"ad{s}", f"ar{s}", s, 64, "1.0e-5") +
            f"  %x{s} = tensor.extract_slice %xa[0, 0, 0] [1, {s}, 64] [1, 1, 1] : tensor<1x{MAX}x64xf32> to tensor<1x{s}x64xf32>\n"
            f"  %y{s} = tensor.extract_slice %ya[0, 0, 0] [1, {s}, 64] [1, 1, 1] : tensor<1x{MAX}x64xf32> to tensor<1x{s}x64xf32>\n"
            f"  %xd{s} = tensor.cast %x{s} : tensor<1x{s}x64xf32> to tensor<1x?x64xf32>\n"
            f"  %yd{s} = tensor.cast %y{s} : tensor<1x{s}x64xf32> to tensor<1x?x64xf32>\n"
            f"  %bd{s} = call @packed_dyn(%xd{s}, %yd{s}, %xd{s}) : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>\n"
            f"  %br{s} = call @packed{s}(%x{s}, %y{s}, %x{s}) : (tensor<1x{s}x64xf32>, tensor<1x{s}x64xf32>, tensor<1x{s}x64xf32>) -> tensor<1x{s}x64xf32>\n"
            + compare(f"b{s}", f"bd{s}", f"br{s}", s, 64, "1.0e-5"))
    main.append("  return\n}\n")
    graph = 'tfm-opt %s --tfm-cpu-pipeline="compile-to=graph"'
    convert = 'tfm-opt --convert-tfm-to-linalg="attention-query-block=4 attention-key-tile=8"'
    def attention_runs(bits):
        first = f'{graph} \\\n// RUN:   | {convert} \\\n// RUN:   | tfm-opt --tfm-cpu-vectorized="num-threads=2 vector-bits={bits}"'
        return run_lines(first, bits)
    header = f'''// Attention and products over a dynamic sequence, run: grouped-query
// attention over a cache (its last 8 rows hidden by the mask, as in a cache
// still filling), causal, with RoPE on queries and keys, then a product by
// a weight; and causal multi-head attention in the packed layout beside
// its unfused form (q k^T, softmax over a dynamic axis, p v: products whose
// M, N and K are all dynamic). With 4-query blocks and 8-key tiles, 13
// queries are 3 whole blocks and 1 one-query block, 7 queries a whole
// block, a 2-query block and a one-query block, 13 new keys a whole tile
// and 5 one-key tiles. One dynamic compilation against static ones at
// 1, 7 and 13 queries; each check prints 1 when the two agree within 1e-5.
// Generated by Inputs/make_dynamic_tests.py.
{attention_runs(256)}
{attention_runs(512)}
// CHECK-COUNT-6: 1
// CHECK-NOT: {{{{.}}}}
'''
    body = [kernels("_dyn", "?")] + [kernels(str(s), s) for s in SIZES]
    return header + "\n" + "\n".join(body) + helpers(False) + mask + "".join(main)


def mlp_test(quantized_activations):
    def vec(n, a, b):
        return "dense<[" + ", ".join(repr(round(math.sin(a * i + b), 3)) for i in range(n)) + "]>"

    def col(n, a, b):
        return "dense<[" + ", ".join("[" + repr(round(math.sin(a * i + b), 3)) + "]" for i in range(n)) + "]>"

    def row(n, a, b):
        return "dense<[[" + ", ".join(repr(round(math.sin(a * i + b), 3)) for i in range(n)) + "]]>"

    # A weight as a sum of two outer products, folded into a dense constant
    # by the graph phase before tfm-quantize sees it.
    def weight(name, r, c, k):
        return f"""  %{name}a = tfm.constant {col(r, 0.37 * k, 0.1)} : tensor<{r}x1xf32>
  %{name}b = tfm.constant {row(c, 0.11 * k, 0.2)} : tensor<1x{c}xf32>
  %{name}c = tfm.constant {col(r, 0.23 * k, 0.3)} : tensor<{r}x1xf32>
  %{name}d = tfm.constant {row(c, 0.05 * k, 0.4)} : tensor<1x{c}xf32>
  %{name}ab = tfm.mul %{name}a, %{name}b : (tensor<{r}x1xf32>, tensor<1x{c}xf32>) -> tensor<{r}x{c}xf32>
  %{name}cd = tfm.mul %{name}c, %{name}d : (tensor<{r}x1xf32>, tensor<1x{c}xf32>) -> tensor<{r}x{c}xf32>
  %{name} = tfm.add %{name}ab, %{name}cd : (tensor<{r}x{c}xf32>, tensor<{r}x{c}xf32>) -> tensor<{r}x{c}xf32>
"""

    def kernel(name, s):
        t = f"tensor<1x{s}x64xf32>"
        h = f"tensor<1x{s}x32xf32>"
        if quantized_activations:
            body = f'''  %n = tfm.layer_norm %x scale(%g) axes = [2] epsilon = 1.0e-5 : ({t}, tensor<64xf32>) -> {t}
  %s = tfm.constant dense<0.05> : tensor<f32>
  %zp = tfm.constant dense<128> : tensor<ui8>
  %nq = tfm.quantize %n, %s, %zp : ({t}, tensor<f32>, tensor<ui8>) -> tensor<1x{s}x64xui8>
  %nd = tfm.dequantize %nq, %s, %zp : (tensor<1x{s}x64xui8>, tensor<f32>, tensor<ui8>) -> {t}
  %h = tfm.linear %nd, %w1, %b1 : ({t}, tensor<32x64xf32>, tensor<32xf32>) -> {h}
  %a = tfm.gelu %h : {h}
  %aq = tfm.quantize %a, %s, %zp : ({h}, tensor<f32>, tensor<ui8>) -> tensor<1x{s}x32xui8>
  %ad = tfm.dequantize %aq, %s, %zp : (tensor<1x{s}x32xui8>, tensor<f32>, tensor<ui8>) -> {h}
  %y = tfm.linear %ad, %w2 : ({h}, tensor<64x32xf32>) -> {t}'''
        else:
            body = f'''  %n = tfm.layer_norm %x scale(%g) axes = [2] epsilon = 1.0e-5 : ({t}, tensor<64xf32>) -> {t}
  %h = tfm.linear %n, %w1, %b1 : ({t}, tensor<32x64xf32>, tensor<32xf32>) -> {h}
  %a = tfm.gelu %h : {h}
  %y = tfm.linear %a, %w2 : ({h}, tensor<64x32xf32>) -> {t}'''
        return f'''func.func @{name}(%x: {t}) -> {t} {{
{weight("w1", 32, 64, 1)}  %b1 = tfm.constant {vec(32, 0.2, 0.3)} : tensor<32xf32>
{weight("w2", 64, 32, 2)}  %g = tfm.constant {vec(64, 0.13, 0.07)} : tensor<64xf32>
{body}
  %z = tfm.add %y, %x : ({t}, {t}) -> {t}
  return %z : {t}
}}
'''
    main = ["func.func @main() {\n",
            wave("x2", MAX, 64, 0.37, 0.11),
            f"  %xa = tensor.expand_shape %x2 [[0, 1], [2]] output_shape [1, {MAX}, 64] : tensor<{MAX}x64xf32> into tensor<1x{MAX}x64xf32>\n"]
    for s in SIZES:
        t = f"tensor<1x{s}x64xf32>"
        main.append(
            f"  %x{s} = tensor.extract_slice %xa[0, 0, 0] [1, {s}, 64] [1, 1, 1] : tensor<1x{MAX}x64xf32> to {t}\n"
            f"  %xd{s} = tensor.cast %x{s} : {t} to tensor<1x?x64xf32>\n"
            f"  %yd{s} = call @dyn(%xd{s}) : (tensor<1x?x64xf32>) -> tensor<1x?x64xf32>\n"
            f"  %yr{s} = call @ref{s}(%x{s}) : ({t}) -> {t}\n"
            + compare(f"c{s}", f"yd{s}", f"yr{s}", s, 64, "1.0e-4"))
    main.append("  return\n}\n")
    if quantized_activations:
        header = f'''// Integer products over dynamic rows, run: an MLP block (layer norm,
// linear + bias + GELU, linear + residual) with its activations quantized
// per tensor to uint8 and its weights made int8 by tfm-quantize, so that
// both linears are u8 x s8 products in i32 (pairs through vpmaddwd at 256
// bits; vpdpbusd groups at 512 where the host has AVX-512 VNNI, which the
// code compiled for it uses), in panels (-O3); compiled once with a
// dynamic sequence against static compilations at 1, 7 and 13 rows (each
// check prints 1 when the largest |d - s| / max(1, |s|) is at most 1e-4).
// Generated by Inputs/make_dynamic_tests.py.
{run_lines(pipeline(256, " opt-level=3 quantize=int8-weights"), 256)}
{run_lines(pipeline(512, " vnni opt-level=3 quantize=int8-weights"), 512, " vnni", "host-avx512-vnni")}
'''
    else:
        header = f'''// Quantized linears over dynamic rows, run: an MLP block (layer norm,
// linear + bias + GELU, linear + residual) whose weights tfm-quantize makes
// int4 blocks (-O3 panels; at 256 and 512 bits), and W8A8 with its
// per-token activation quantization (int8 without a zero point for the
// dynamic rows, uint8 around 128 for the static ones: the same products),
// compiled once with its sequence dimension dynamic, against static
// compilations at 1, 7 and 13 rows. Each check prints 1 when the largest
// |d - s| / max(1, |s|) is at most 1e-4 (one-row tiles factor the block
// scales out of their sums, register tiles of several rows do not).
// Generated by Inputs/make_dynamic_tests.py.
{run_lines(pipeline(256, " opt-level=3 quantize=int4-weights"), 256)}
{run_lines(pipeline(512, " opt-level=3 quantize=int4-weights"), 512)}
{run_lines(pipeline(256, " opt-level=3 quantize=w8a8-dynamic"), 256)}
'''
    header += "// CHECK-COUNT-3: 1\n// CHECK-NOT: {{.}}\n"
    body = [kernel("dyn", "?")] + [kernel(f"ref{s}", s) for s in SIZES]
    return header + "\n" + "\n".join(body) + helpers(True) + "".join(main)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    tests = {
        "dynamic-rows.mlir": rows_test(),
        "dynamic-data-movement.mlir": data_movement_test(),
        "dynamic-attention.mlir": attention_test(),
        "dynamic-quantized.mlir": mlp_test(False),
        "dynamic-int8.mlir": mlp_test(True),
    }
    for name, text in tests.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
