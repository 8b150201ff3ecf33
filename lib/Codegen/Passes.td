//===- Passes.td - code generation passes --------------------*- tablegen -*-===//
//
// Passes of the code generation pipelines, below the tfm dialect: on linalg
// and tensors, on buffers, and for the CPU target.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_CODEGEN_PASSES_TD
#define TFM_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseElementwisePass : Pass<"tfm-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuses elementwise linalg.generic producers into their consumers";
  let description = [{
    Merges a producing `linalg.generic` whose loops are all parallel into
    the `linalg.generic` that consumes it, when the consumer is its only
    user, so that chains of elementwise ops (bias, activation, residual,
    scaling) and the elementwise prologue of a reduction run as one loop
    nest without intermediate tensors. Unlike upstream
    `linalg-fuse-elementwise-ops` it does not propagate reshapes through
    contractions: a matmul keeps its named, 2-D form for tiling.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def OutputsToDestinationsPass
    : Pass<"tfm-outputs-to-destinations", "ModuleOp"> {
  let summary = "Makes model outputs caller-provided buffers";
  let description = [{
    Rewrites each public function that returns tensors into one that writes
    them into trailing `memref` arguments provided by the caller (the
    runtime's output buffers) and returns nothing. The results are stored
    with `bufferization.materialize_in_destination`, so that bufferization
    computes them directly in the output buffers. Result attributes
    (`tfm.name`) move to the new arguments. The function is renamed to
    `entry-name` when given and marked `tfm.entry` and `llvm.bareptr` (its
    statically shaped buffers cross the entry point as bare pointers).

    Dynamic dimensions (runtime ABI 4; 5: derived symbols). An input's
    dynamic dimensions are named by its `tfm.dims` attribute (an array of
    strings, one per dimension; `""` or none: a symbol of its own) and
    bounded by `tfm.dim_bounds` (an array of sizes; -1 or none:
    `max-dim`). Inputs that name the same symbol have the same size there.
    A symbol the function's `tfm.derived_dims` defines (`{total =
    ["sequence", 100]}`) is another symbol plus an offset (an
    `attention_mask` of `past_sequence + sequence`): the entry computes it
    from that symbol, and its bound is that symbol's plus the offset. The
    entry takes one more argument after the outputs, `dims`, an `i64`
    buffer: the symbols' values come first, read at the entry and clamped
    to their bounds (`affine.min`, which gives every size its upper bound),
    then one entry per dynamic dimension of the outputs, which the function
    writes. A dynamic input or output crosses the entry point as a flat
    buffer of its elements at the bounds, reinterpreted
    (`memref.reinterpret_cast`) with its run-time sizes, densely packed.
    The function records the symbols (`tfm.symbols`, `tfm.symbol_bounds`;
    with derived ones, `tfm.symbol_bases`, -1 for a free one, and
    `tfm.symbol_offsets`; each has a slot in `dims`, a derived one's
    unread), each input dimension's symbol (`tfm.input_dims`, -1 for a
    static one) and the upper bound of each
    dynamic output dimension (`tfm.output_dim_bounds`) for the runtime's
    descriptor. A dimension without a bound, an output dimension whose
    bound cannot be derived, or `dynamic=false` (targets whose runtime
    takes static shapes only) is an error naming the input or output.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
  ];
  let options = [
    Option<"entryName", "entry-name", "std::string", /*default=*/"\"\"",
           "New name of the entry function (empty: keep the name)">,
    Option<"maxDim", "max-dim", "int64_t", /*default=*/"0",
           "Upper bound of dynamic input dimensions that have none (0: "
           "they are an error)">,
    Option<"dynamic", "dynamic", "bool", /*default=*/"true",
           "Accept dynamic dimensions (false: the target takes static "
           "shapes only)">
  ];
}

def BufferizePass : Pass<"tfm-bufferize", "ModuleOp"> {
  let summary = "One-Shot Bufferize with the conventions of generated code";
  let description = [{
    Runs One-Shot Module Bufferize with function boundaries, identity
    layouts at the boundaries, 64-byte aligned allocations and copies as
    `linalg.copy` (so that they are vectorized and lowered like any other
    linalg op rather than calling a runtime library). Before the analysis,
    destination tensors (`tensor.empty`, and `linalg.fill` of one) that
    several ops write into are duplicated per writer, since sharing one
    would force bufferization to copy, and empty tensors whose contents end
    up in an output buffer are replaced by that buffer, so that results are
    computed in place.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def PlanMemoryPass : Pass<"tfm-plan-memory", "ModuleOp"> {
  let summary = "Places intermediate buffers in one arena by liveness";
  let description = [{
    Computes, for every `memref.alloc` in the entry block of an entry
    function (`tfm.entry`) that is statically shaped, or dynamically shaped
    with an upper bound on each dynamic size (`ValueBoundsConstraintSet`,
    as an `affine.min` with a constant gives), the span of top-level
    operations during which it or any view of it is used, then assigns
    64-byte aligned offsets in a single arena so that buffers whose spans
    overlap never overlap in memory (greedy, largest first, lowest fitting
    offset). Each allocation becomes a `memref.view` of a new leading
    `memref<Nxi8>` argument marked `tfm.arena`, and the function gets
    `tfm.arena_size` = N; a bounded dynamic buffer takes the room of its
    largest size and keeps its run-time sizes in the view. The caller
    provides the arena; allocations that remain (nested in loops, or
    dynamically shaped without a bound) are left for the deallocation
    pipeline.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def ExternalizeWeightsPass : Pass<"tfm-externalize-weights", "ModuleOp"> {
  let summary = "Moves large constants into a weights blob read through an argument";
  let description = [{
    Every constant `memref.global` of at least `min-bytes` bytes used by an
    entry function is given a 64-byte aligned offset in one weights blob;
    its `memref.get_global` uses become `memref.view`s of a new leading
    `memref<Nxi8>` argument marked `tfm.weights`. The module records the
    layout in `tfm.weights`, an array of `{name, offset, value}`
    dictionaries, from which the driver writes the blob (into the object
    file or a side file); the globals are removed. Smaller constants stay
    as globals in the generated code's read-only data.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
  ];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"4096",
           "Smallest constant, in bytes, moved into the weights blob">
  ];
}

def InterchangeReductionsPass
    : Pass<"tfm-gpu-interchange-reductions", "func::FuncOp"> {
  let summary = "Puts the parallel loops of linalg.generic ops outermost";
  let description = [{
    The GPU mapping turns a linalg op's outer parallel loops into a
    kernel's grid and leaves the loops from the first reduction on inside
    each thread. A reduction loop that comes before a parallel one (a
    column reduction, `["reduction", "parallel"]`) would stay on the host,
    one kernel launch per iteration. This pass permutes the loops of every
    `linalg.generic` so that its parallel loops come first, in their
    order, then its reduction loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TensorCoreMatmulPass
    : Pass<"tfm-gpu-tensor-core-matmul", "func::FuncOp"> {
  let summary = "Turns f16 matmuls on buffers into tensor-core kernels";
  let description = [{
    Rewrites every `C += A * B` on buffers (`linalg.matmul`, or a
    `linalg.generic` with a multiply-accumulate body, A indexed (m, k) or
    (k, m), B (k, n) or (n, k)) whose A or B is f16, the other f16 or f32
    (both may be f32 with `round-f32-operands`), and C f32, into a
    `gpu.launch` of its own, written for `mma.sync.m16n8k16` (sm_80 and
    later):

    - each block computes a BM x BN tile of C with 1-4 warps, each warp a
      16-32 x 8-32 tile held in registers across the K loop;
    - per step of K (32, or 16), the block copies its A and B tiles to
      shared memory as f16 (rows padded by 8 elements against bank
      conflicts), in the operand's own layout: with `cp.async`
      (`nvgpu.device_async_copy`) when the operand is f16 and 16-byte
      aligned (checked at run time), else with vector loads, converting f32
      to f16;
    - the warps then read their 16x16 A and 16x8 B fragments from shared
      memory and accumulate with `vector.contract`s of the mma shape.

    Upstream's conversion to `mma.sync`, applied to the new kernel, then
    turns the fragment reads into `nvgpu.ldmatrix` (`.trans` for an A
    stored (k, m) and a B stored (k, n)) and the contractions into
    `nvgpu.mma.sync`. C
    must hold its initial value (zero or the bias) before the kernel.
    Matmuls whose M, N, K are not multiples of 16, 8, 16, whose rows are
    not contiguous, or whose shapes are dynamic are left alone.

    With `fuse-elementwise`, an all-parallel `linalg.generic` just before
    a 2-D product that writes C from other buffers (the bias) is computed
    where the lanes would load C, and one just after that reads C
    elementwise (an activation, a residual add) where they store it, both
    per element; neither then runs as a kernel of its own. Buffers are
    compared by their byte ranges in the arena: an epilogue whose output
    may share bytes with A, B or the prologue's inputs (other blocks still
    read them) is not fused. An f32 operand that a generic just rounded to
    f16 and back (the f16 precision's narrowing of a linear's input) is read
    before the rounding instead, which the staging repeats; the rounding
    pass goes.
  }];
  let options = [
    Option<"roundF32Operands", "round-f32-operands", "bool",
           /*default=*/"false",
           "Also compute f32 x f32 products on tensor cores, both operands "
           "rounded to f16 (the f16 precision of attention's products)">,
    Option<"fuseElementwise", "fuse-elementwise", "bool", /*default=*/"true",
           "Compute C's initializer (the bias) and the elementwise op that "
           "follows the product (an activation, a residual) in the kernel, "
           "per element of C">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def AccumulateInRegistersPass
    : Pass<"tfm-gpu-accumulate-in-registers", "func::FuncOp"> {
  let summary = "Carries reduction accumulators through scf.for iterations";
  let description = [{
    A reduction lowered to loops loads and stores its output element on
    every step (`out[i] = out[i] + x[i, k]`), a global-memory round trip per
    step on a GPU. For every `scf.for` whose body loads and later stores the
    same loop-invariant element of a buffer, and accesses that buffer (any
    view of the same allocation, global or argument) nowhere else, the
    element is loaded once before the loop, carried as an iteration
    argument, and stored once after it. Other memory effects in the body
    (calls, unknown ops) leave the loop alone. Buffers with different roots
    are taken as disjoint: distinct allocations, and the entry function's
    arguments (weights, arena, inputs, outputs), are.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def SerialKernelsPass : Pass<"tfm-gpu-serial-kernels", "func::FuncOp"> {
  let summary = "Gives host code that touches buffers a one-point parallel loop";
  let description = [{
    An op with no parallel dimension left (a reduction to one element: a
    decode step's layer norm statistics over a [1, 1, D] row, the fill of
    its one-element result) becomes loops with no `scf.parallel` around
    them once single-trip parallel loops are folded, and would run on the
    host, where the buffers (device memory) cannot be touched. Each
    maximal run of such top-level ops (with the pure ops between them) is
    wrapped in a one-point `scf.parallel`, which the GPU mapping turns
    into a kernel like any other. A pure op of the run that something
    after it uses (a buffer view) is hoisted before it; a run whose other
    results are used after it is left as it is (and reported by
    `tfm-gpu-check-host-code`).
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def InnermostLoopsFirstPass
    : Pass<"tfm-gpu-innermost-loops-first", "func::FuncOp"> {
  let summary = "Reverses the dimensions of outermost scf.parallel loops";
  let description = [{
    The GPU mapping tiles a parallel loop's leading dimensions and maps
    them to x, y, z in order. With the loop's dimensions reversed, the
    innermost (contiguous in memory) dimension comes first: tiled widest
    and mapped to `threadIdx.x`, so that a warp's 32 threads read 32
    consecutive elements (coalesced). The order of a parallel loop's
    dimensions has no meaning otherwise. Loops with reductions (init
    values) are left alone.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def MergeGpuModulesPass : Pass<"tfm-gpu-merge-modules", "ModuleOp"> {
  let summary = "Gathers every outlined kernel into one gpu.module";
  let description = [{
    Kernel outlining gives each kernel a `gpu.module` of its own, which
    becomes a binary of its own: one `ptxas` run, one embedded image and
    one module load per kernel. This pass moves every kernel into the
    first `gpu.module` (renaming those whose names collide), updates the
    `gpu.launch_func`s, and erases the emptied modules, so that a model's
    kernels are compiled, embedded and loaded as one image.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def UnrollGpuHostLoopsPass : Pass<"tfm-gpu-unroll-host-loops", "ModuleOp"> {
  let summary = "Fully unrolls the host loops that launch kernels";
  let description = [{
    A host loop around kernel launches (attention's loop over heads) runs
    its iterations one after the other in the stream anyway. Unrolled, the
    host code is a straight sequence of launches: one token chain for the
    async region (no wait per iteration), launch arguments that are
    constants, and no stack allocation per iteration (the LLVM translation
    of a launch allocates its parameter array where the launch is). Loops
    with a trip count that is not a constant are left as they are.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def CheckGpuHostCodePass : Pass<"tfm-gpu-check-host-code", "ModuleOp"> {
  let summary = "Checks that the host code of a GPU model touches no tensor memory";
  let description = [{
    On the GPU every buffer (arena, weights, inputs and outputs) is device
    memory, which host code can only pass to kernels. After the mapping to
    the GPU, this pass fails on any operation of a host function (outside
    `gpu.module`s and `gpu.launch` bodies) that reads, writes or allocates
    a buffer: a loop nest that was not mapped to a kernel, or a buffer the
    memory plan did not place. Each error names the operation.
  }];
}

def TileAndVectorizePass
    : Pass<"tfm-cpu-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tiles linalg ops for threads and vector registers, then vectorizes";
  let description = [{
    Splits reductions over the innermost loop into 32 partial sums per row
    (accumulated elementwise) and a final reduction of the lanes. Then
    distributes each top-level linalg op with enough work over about
    `num-threads` equal tiles of its parallel loops (`scf.forall`), then
    tiles every op for registers: contractions to micro-tiles two vector
    registers wide (`vector-bits`) and 6 rows high (8 with AVX-512's 32
    registers), with the reduction stepped by one (an outer product per
    step) and, when longer than 1024 for more rows than one micro-tile,
    walked in blocks of 768 outermost;
    ops reading an operand transposed to 8 x 8 blocks; other ops to four
    vector registers along their innermost loop. At both levels the fill or
    broadcast that initializes an output is tiled into the output's tiles;
    a thread tile also computes the reductions its op reads (a norm's
    statistics) for its own rows, so that a norm is one parallel loop. An
    op (other than a product) whose parallelism lies in a dynamic loop is
    distributed over chunks of that loop: `num-threads` of them when its
    run-time size brings `min-parallel-work` points, else one chunk of
    every row, which `tfm-cpu-guard-parallel-regions` runs on the calling
    thread. Partial tiles are peeled so that every tile is static. A contraction
    tile that is not a plain matmul (a product by a weight in the panel
    layout, a batched or 4-D product, a transposed operand) has its unit
    loops dropped and becomes a `linalg.matmul` with its indexing maps, so
    that it vectorizes to one operand-shaped `vector.contract`. The tiles
    are vectorized with linalg's vectorizer. Ops it cannot vectorize
    (non-projected indexing maps, i1 buffers) are left to become scalar
    loops.

    An integer contraction in the 4-way dot product layout (uint8
    activations `[M, K/4, 4]` by int8 panels `[P, K/4, w, 4]`, as
    `convert-tfm-to-linalg` builds W8A8 linears) keeps its group of four
    K elements whole in each register tile, and is vectorized register by
    register: per row and register of output features, the four
    activation bytes broadcast to every lane, times each lane's four
    weight bytes, summed into the lane's 32-bit accumulator (a
    `vector.multi_reduction` over the group: the exact form of one
    `vpdpbusd`, which `tfm-cpu-lower-vectors{vnni}` emits).
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"numThreads", "num-threads", "unsigned", /*default=*/"2",
           "Threads to distribute parallel loops over">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"8192",
           "Smallest iteration space (points) worth running in parallel "
           "(8192: BERT-base at seq 16, whose norms on [16, 768] ran "
           "serially at 32768, 7 % faster; seq 128 unchanged)">,
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Bits of the target's vector registers: 128 (SSE), 256 (AVX2, "
           "16 registers) or 512 (AVX-512, 32 registers)">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Compute a product's epilogue (the all-parallel op reading its "
           "result: dequantize, bias, activation, residual) in the "
           "product's thread and register tiles, from the accumulators">
  ];
}

def LowerVectorsPass : Pass<"tfm-cpu-lower-vectors", "func::FuncOp"> {
  let summary = "Lowers vector ops on buffers to the forms LLVM compiles well";
  let description = [{
    After bufferization: adds prefetches of the next weight panel (each
    cache line of its row) to the
    reduction loops of products by weights in the panel layout (every row
    tile when two to four share a panel, else the first, peeled; none where
    a single tile streams each panel, as in a one-row decode product);
    where a single tile streams a weight of integer codes (int8, packed
    int4), prefetches its storage `weight-prefetch-bytes` ahead of each
    read, since the codes' conversions slow the stream below what keeps
    enough cache misses in flight; hoists
    loop-invariant vector transfers out of loops (keeping a contraction's
    accumulator in registers across its reduction loop), forwards stores
    to loads, and unrolls a reduction loop whose accumulator has fewer than
    eight vector registers of `vector-bits` (the last rows of a product)
    into partial accumulators summed after it, so that eight FMA chains cover the FMA
    latency on both pipes; it then lowers permuted transfers to plain ones and
    transposes, `vector.contract` to outer products and FMAs, multi-reductions,
    transposes, broadcasts, masks and shape casts to 1-D vector
    operations, and transfers to plain vector loads and stores (unrolled
    loops for n-D transfers).

    With `vnni`, first: each 4-way dot product of a register (a
    `vector.multi_reduction` adding, per 32-bit lane, the four products of
    broadcast uint8 activation bytes and the lane's int8 weight bytes, as
    `tfm-cpu-tile-and-vectorize` vectorizes W8A8 tiles) becomes one call of
    the `vpdpbusd` intrinsic (`llvm.x86.avx512.vpdpbusd.512`, or `.256`
    for AVX-VNNI): LLVM does not select it from the generic form.

    Each bf16 pair dot product of a register (the `vector.multi_reduction`
    adding, per f32 lane, the two products of a broadcast pair of bf16
    activations and the lane's pair of bf16 weights, as mixed-precision
    tiles are vectorized) becomes, with `bf16-dot`, one call of
    `vdpbf16ps` (`llvm.x86.avx512bf16.dpbf16ps.512`, or `.256`), and
    otherwise two FMAs on the pair's halves widened in place (a bf16 is
    the top half of an f32: the even element is the 32-bit lane shifted
    left by 16, the odd one the lane with its low half cleared).
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Bits of the target's vector registers (128, 256 or 512)">,
    Option<"vnni", "vnni", "bool", /*default=*/"false",
           "The target has vpdpbusd at `vector-bits` (AVX-512 VNNI at 512; "
           "AVX-VNNI, or AVX-512 VNNI with VL, at 256)">,
    Option<"bf16Dot", "bf16-dot", "bool", /*default=*/"false",
           "The target has vdpbf16ps at `vector-bits` (AVX-512 BF16; at 256 "
           "with AVX-512 VL)">,
    Option<"weightPrefetchBytes", "weight-prefetch-bytes", "int64_t",
           /*default=*/"2048",
           "How far ahead a one-tile product prefetches the integer weight "
           "codes it streams, in bytes (0: no prefetch)">
  ];
}

def FactorBlockScalesPass
    : Pass<"tfm-cpu-factor-block-scales", "func::FuncOp"> {
  let summary = "Applies the scales of block-quantized weights once per block";
  let description = [{
    After `tfm-cpu-tile-and-vectorize`: a reduction loop whose single
    accumulator is updated by a chain of K-step outer products
    (`vector.contract` of x [M, 1] and W [1, N] into [M, N]), each weight
    row dequantized in the loop as `sitofp(u - z) * s` with the scale `s`
    and zero point `z` defined outside the loop (one block of a
    block-quantized weight; loop-invariant code is hoisted first), becomes
    a loop that accumulates `x * sitofp(u)` and, for one-row tiles, the
    row sums of x, followed by `acc + s * (sum - z * rowsum)` (for tiles of
    more rows the subtraction of `z` stays in the loop). Each contraction
    of the step accumulates into a zero-initialized accumulator of its own,
    and the loop is unrolled (by a power of two dividing its trip count)
    until the accumulators' registers of `vector-bits` make eight
    independent FMA chains; the partial sums are added after the loop.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Bits of the target's vector registers (128, 256 or 512)">
  ];
}

def GuardParallelRegionsPass
    : Pass<"tfm-cpu-guard-parallel-regions", "func::FuncOp"> {
  let summary = "Runs a parallel region of one loop iteration on the calling "
                "thread";
  let description = [{
    After `convert-scf-to-openmp`: an `omp.parallel` whose body is one
    `omp.wsloop` with a trip count that is not a constant of at least two
    gets the `if` clause `trip count > 1`, so that a loop of one iteration
    at run time runs on the calling thread instead of starting the team.
    `tfm-cpu-tile-and-vectorize` gives an op over a run-time number of rows
    one chunk of every row when they are too few to be worth the threads
    (a decode step's single row): it pays no fork and join.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::omp::OpenMPDialect",
  ];
}

def ApproximateMathPass : Pass<"tfm-approximate-math", "func::FuncOp"> {
  let summary = "Expands transcendental math ops into vectorizable polynomials";
  let description = [{
    Rewrites `math.exp`, `math.log`, `math.tanh`, `math.erf`, `math.sin`,
    `math.cos` and friends on f32 (scalars and vectors) into the polynomial
    approximations of MLIR's math dialect, which compile to straight-line
    FMA code instead of per-element libm calls. `math.erf` (GELU's) is
    instead one rational function of the clamped input, `x·P(x²)/Q(x²)`
    (ten FMAs and a division, no interval selects; coefficients from
    `scripts/fit_erf.py`, at most 5.5 ulp from the correctly rounded
    result). f16/bf16 math is first extended to f32; remaining math ops
    lower to LLVM intrinsics or libm. The ops with neither an approximation
    nor an LLVM intrinsic (`math.acosh`, `math.asinh`, `math.atanh`) are
    split into one scalar op per vector element here, before vector-to-LLVM,
    so that MathToLibm later calls libm for each.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // TFM_CODEGEN_PASSES_TD
