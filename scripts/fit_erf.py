#!/usr/bin/python3
"""Fits the f32 erf of `tfm-approximate-math` (lib/Codegen/ApproximateMath.cpp).

    erf(x) = x * P(x^2) / Q(x^2),  x clamped to [-C, C],  Q(0) = 1

1. A rational fit of erf(x)/x in s = x^2 on [0, C^2] for relative error:
   linearized least squares (Loeb), reweighted toward the error's peaks
   (Lawson) until it nears the minimax fit.
2. The coefficients rounded to f32, then nudged by single ulps while that
   lowers the largest error of an f32 evaluation with FMAs (Horner), under
   the constraint that R(C) rounds to exactly 1, so that erf saturates to
   +-1 (and GELU to 0 for large negative inputs) instead of stopping an ulp
   short.

Prints the coefficients as C++ initializers and the measured error. Needs
only NumPy; Python's math.erf is the reference.

    scripts/fit_erf.py [--numerator 5] [--denominator 5] [--clamp 3.925]
"""

import argparse
import math

import numpy as np


def f32(v):
    return np.asarray(v, dtype=np.float64).astype(np.float32).astype(
        np.float64)


def fit(m, n, clamp):
    """Near-minimax P (degree m) and Q (degree n, Q(0) = 1) in s = x^2."""
    count = 6000
    t = np.cos(np.pi * (np.arange(count) + 0.5) / count)
    x = np.sort(np.append((t + 1) / 2 * clamp, clamp))
    x = x[x > 1e-6]
    f = np.array([math.erf(v) for v in x])
    s, g = x * x, f / x
    vp = np.vander(s, m + 1, increasing=True)
    vq = np.vander(s, n + 1, increasing=True)
    weights, q_prev, best = np.ones_like(s), np.ones_like(s), None
    for iteration in range(200):
        scale = weights / (g * q_prev)
        system = np.hstack([vp, -g[:, None] * vq[:, 1:]]) * scale[:, None]
        solution = np.linalg.lstsq(system, g * scale, rcond=None)[0]
        p = solution[:m + 1]
        q = np.concatenate([[1.0], solution[m + 1:]])
        q_prev = vq @ q
        err = (x * (vp @ p) / q_prev - f) / f
        peak = np.max(np.abs(err))
        if best is None or peak < best[0]:
            best = (peak, p, q)
        if iteration > 5:
            weights = weights * np.sqrt(np.abs(err) / peak) + 1e-12
            weights /= weights.max()
    return best


def evaluate(p, q, x):
    """The f32 evaluation the compiler emits: clamp, FMA Horner, x·P / Q.
    A product of two f32 values is exact in f64 and the sum rounds once, so
    rounding each step to f32 reproduces an FMA."""
    s = f32(x * x)
    num = np.full_like(s, p[-1])
    for c in p[-2::-1]:
        num = f32(num * s + c)
    den = np.full_like(s, q[-1])
    for c in q[-2::-1]:
        den = f32(den * s + c)
    return f32(f32(x * num) / den)


def ulps(value, reference):
    return np.abs(value - reference) / np.spacing(
        np.abs(reference).astype(np.float32)).astype(np.float64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--numerator", type=int, default=5)
    parser.add_argument("--denominator", type=int, default=5)
    parser.add_argument("--clamp", type=float, default=3.925)
    parser.add_argument("--steps", type=int, default=4000)
    args = parser.parse_args()
    clamp = float(f32(args.clamp))
    relative, p, q = fit(args.numerator, args.denominator, clamp)
    print("fit: max relative error %.3g (f64)" % relative)

    x = f32(np.linspace(0, clamp, 100001)[1:])
    reference = np.array([math.erf(v) for v in x])

    def score(p, q):
        saturated = evaluate(p, q, np.array([clamp]))[0] == 1.0
        return ulps(evaluate(p, q, x), reference).max() + (
            0 if saturated else 1000)

    p, q = f32(p), f32(q)
    best = score(p, q)
    rng = np.random.default_rng(0)
    for _ in range(args.steps):
        cp, cq = p.copy(), q.copy()
        index = rng.integers(1, len(p) + len(q))  # q[0] stays 1
        direction = np.float32(np.inf if rng.integers(2) else -np.inf)
        target, i = (cp, index - 1) if index <= len(p) else (
            cq, index - len(p))
        target[i] = float(np.nextafter(np.float32(target[i]), direction))
        candidate = score(cp, cq)
        if candidate < best:
            best, p, q = candidate, cp, cq
    if best >= 1000:
        raise SystemExit("no coefficients found with R(C) == 1")

    dense = f32(np.linspace(-6, 6, 1200001))
    reference = np.array([math.erf(v) for v in dense])
    value = evaluate(p, q, np.clip(dense, -clamp, clamp))
    error = ulps(value, reference)
    print("f32 with FMAs on [-6, 6]: max %.2f ulp (%.3g abs) at %g, mean %.2f"
          % (error.max(), np.abs(value - reference).max(),
             dense[error.argmax()], error.mean()))
    print("clamp: %.9ef" % clamp)
    print("numerator: {%s}" % ", ".join("%.9ef" % v for v in p))
    print("denominator: {%s}" % ", ".join("%.9ef" % v for v in q))


if __name__ == "__main__":
    main()
