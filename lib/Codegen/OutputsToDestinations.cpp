//===- OutputsToDestinations.cpp - results become output buffers ----------===//
//
// The entry point's boundary: results become caller-provided buffers, and
// dynamic dimensions cross as flat buffers at their bounds plus one `dims`
// buffer of sizes (runtime ABI 4, derived symbols 5; see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "tfm/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfm {
#define GEN_PASS_DEF_OUTPUTSTODESTINATIONSPASS
#include "tfm/Codegen/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;

namespace {

/// A dynamic input dimension's name and upper bound; inputs that name the
/// same symbol have the same size there. A derived symbol (`base` >= 0) is
/// symbol `base` plus `offset` (`tfm.derived_dims`).
struct Symbol {
  std::string name;
  int64_t bound;
  int32_t base = -1;
  int64_t offset = 0;
};

/// The name a model input or output goes by in messages.
std::string getBoundaryName(DictionaryAttr attrs, StringRef kind,
                            unsigned index) {
  if (auto name = attrs ? attrs.getAs<StringAttr>("tfm.name") : StringAttr())
    return "'" + name.str() + "'";
  return (kind + " " + Twine(index)).str();
}

/// Densely packed strides of `sizes`, folded where they are constants.
SmallVector<OpFoldResult> getPackedStrides(OpBuilder &b, Location loc,
                                           ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  AffineExpr s0, s1;
  bindSymbols(b.getContext(), s0, s1);
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 2; d >= 0; --d)
    strides[d] = affine::makeComposedFoldedAffineApply(
        b, loc, s0 * s1, {strides[d + 1], sizes[d + 1]});
  return strides;
}

/// `buffer` (flat, at the bounds) viewed with the run-time `sizes`.
Value viewPacked(OpBuilder &b, Location loc, Value buffer,
                 RankedTensorType type, ArrayRef<OpFoldResult> sizes) {
  auto viewType = MemRefType::get(type.getShape(), type.getElementType());
  return memref::ReinterpretCastOp::create(b, loc, viewType, buffer,
                                           b.getIndexAttr(0), sizes,
                                           getPackedStrides(b, loc, sizes));
}

/// memref.dim of a reinterpret_cast (an input's view): its size operand.
struct DimOfReinterpretCast : public OpRewritePattern<memref::DimOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::DimOp op,
                                PatternRewriter &rewriter) const override {
    auto cast = op.getSource().getDefiningOp<memref::ReinterpretCastOp>();
    std::optional<int64_t> dim = op.getConstantIndex();
    if (!cast || !dim || *dim < 0 ||
        *dim >= static_cast<int64_t>(cast.getMixedSizes().size()))
      return failure();
    rewriter.replaceOp(
        op, getValueOrCreateConstantIndexOp(rewriter, op.getLoc(),
                                            cast.getMixedSizes()[*dim]));
    return success();
  }
};

Value getShapeSource(OpResult result, int depth);

/// Follows `value`, defined in a region of `op`, to the value outside `op`
/// (or `stop`) whose shape it has; null when the chain ends inside.
Value traceShape(Value value, Operation *op, Value stop, int depth) {
  while (value != stop) {
    Operation *def = value.getDefiningOp();
    if (!def)
      return op->isAncestor(value.getParentRegion()->getParentOp()) ? Value()
                                                                    : value;
    if (!op->isProperAncestor(def))
      return value;
    value = getShapeSource(cast<OpResult>(value), depth + 1);
    if (!value)
      return Value();
  }
  return value;
}

/// The operand whose shape `result` has by destination passing: a
/// destination-style op's tied init, a transfer_write's tensor, a loop's
/// initial value when its body passes that tensor through (writing into
/// it), an scf.if's when both branches pass it through. Null otherwise.
Value getShapeSource(OpResult result, int depth) {
  if (depth > 32)
    return Value();
  Operation *def = result.getOwner();
  unsigned index = result.getResultNumber();
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
    return dps.getTiedOpOperand(result)->get();
  if (auto write = dyn_cast<vector::TransferWriteOp>(def))
    return write.getBase();
  if (auto loop = dyn_cast<scf::ForOp>(def)) {
    Value iterArg = loop.getRegionIterArgs()[index];
    Value yielded = loop.getBody()->getTerminator()->getOperand(index);
    if (traceShape(yielded, loop, iterArg, depth) != iterArg)
      return Value();
    return loop.getInitArgs()[index];
  }
  if (auto ifOp = dyn_cast<scf::IfOp>(def)) {
    if (ifOp.getElseRegion().empty())
      return Value();
    Value thenValue =
        traceShape(ifOp.thenYield().getOperand(index), ifOp, Value(), depth);
    Value elseValue =
        traceShape(ifOp.elseYield().getOperand(index), ifOp, Value(), depth);
    return thenValue == elseValue ? thenValue : Value();
  }
  return Value();
}

/// tensor.dim of a loop's, an scf.if's or a transfer_write's tensor result
/// whose shape is an operand's by destination passing: that operand's size.
/// (Upstream's loop folders stop at vector.transfer_write and scf.if;
/// bounds analysis would then take both branches of every if of a dynamic
/// attention's tiers, and of every one before it: exponential in the
/// layers.)
struct DimOfShapeSource : public OpRewritePattern<tensor::DimOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::DimOp op,
                                PatternRewriter &rewriter) const override {
    auto result = dyn_cast<OpResult>(op.getSource());
    if (!result ||
        !isa<scf::ForOp, scf::IfOp, scf::ForallOp, vector::TransferWriteOp>(
            result.getOwner()))
      return failure();
    Value source = getShapeSource(result, 0);
    if (!source || source.getType() != result.getType())
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op.getSourceMutable().assign(source); });
    return success();
  }
};

struct OutputsToDestinationsPass
    : public tfm::impl::OutputsToDestinationsPassBase<
          OutputsToDestinationsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        entries.push_back(func);
    if (!entryName.empty() && entries.size() != 1) {
      module.emitError() << "tfm-outputs-to-destinations: entry-name needs "
                            "exactly one public function, found "
                         << entries.size();
      return signalPassFailure();
    }
    for (func::FuncOp func : entries)
      if (failed(convert(func)))
        return signalPassFailure();
  }

  /// Buffers without elements cross the entry point as one-dimensional
  /// `0xT` buffers: the bare-pointer convention (and the runtime) need no
  /// more, and upstream lowers `3x0xT` descriptors differently.
  static Type getBoundaryType(RankedTensorType type) {
    if (type.getNumElements() == 0)
      return type.clone(ArrayRef<int64_t>{0});
    return type;
  }

  /// The flat buffer a dynamically shaped tensor crosses the entry point
  /// in: its elements at `bounds`.
  static FailureOr<MemRefType> getFlatType(RankedTensorType type,
                                           ArrayRef<int64_t> bounds) {
    int64_t count = 1;
    for (int64_t bound : bounds)
      if (llvm::MulOverflow(count, bound, count))
        return failure();
    return MemRefType::get({count}, type.getElementType());
  }

  /// Names and bounds the dynamic input dimensions: `symbols` lists the
  /// symbols, `inputDims` each input dimension's symbol (-1: static),
  /// `inputBounds` each input dimension's size at the bounds.
  LogicalResult collectSymbols(func::FuncOp func,
                               SmallVectorImpl<Symbol> &symbols,
                               SmallVectorImpl<int32_t> &inputDims,
                               SmallVectorImpl<int64_t> &inputBounds) {
    // Symbols defined as another plus an offset: {name = ["base", offset]}.
    llvm::StringMap<std::pair<std::string, int64_t>> derived;
    if (Attribute attr = func->getAttr("tfm.derived_dims")) {
      auto dict = dyn_cast<DictionaryAttr>(attr);
      if (!dict)
        return func.emitError()
               << "tfm.derived_dims must map names to [\"symbol\", offset]";
      for (NamedAttribute entry : dict) {
        auto pair = dyn_cast<ArrayAttr>(entry.getValue());
        auto base = pair && pair.size() == 2 ? dyn_cast<StringAttr>(pair[0])
                                             : StringAttr();
        auto offset = pair && pair.size() == 2 ? dyn_cast<IntegerAttr>(pair[1])
                                               : IntegerAttr();
        if (!base || !offset || offset.getInt() < 0)
          return func.emitError()
                 << "tfm.derived_dims: '" << entry.getName().getValue()
                 << "' must be [\"symbol\", offset] with an offset of 0 or "
                    "more";
        derived[entry.getName().getValue()] = {base.str(), offset.getInt()};
      }
    }
    // Dimensions of derived symbols, resolved once the others are known:
    // (index into inputDims, symbol, bound given, input, dimension).
    struct Deferred {
      size_t slot;
      std::string name;
      int64_t bound;
      std::string input;
      int64_t dim;
    };
    SmallVector<Deferred> deferred;
    for (auto [i, input] : llvm::enumerate(func.getArgumentTypes())) {
      auto type = cast<RankedTensorType>(input);
      std::string inputName =
          getBoundaryName(func.getArgAttrDict(i), "input", i);
      auto names = func.getArgAttrOfType<ArrayAttr>(i, "tfm.dims");
      auto bounds =
          func.getArgAttrOfType<DenseI64ArrayAttr>(i, "tfm.dim_bounds");
      if ((names && static_cast<int64_t>(names.size()) != type.getRank()) ||
          (bounds && bounds.size() != type.getRank()))
        return func.emitError()
               << "model input " << inputName << " of rank " << type.getRank()
               << " has tfm.dims or tfm.dim_bounds of another size";
      for (int64_t d = 0; d < type.getRank(); ++d) {
        if (!type.isDynamicDim(d)) {
          inputDims.push_back(-1);
          inputBounds.push_back(type.getDimSize(d));
          continue;
        }
        if (!dynamic)
          return func.emitError()
                 << "model input " << inputName << " has a dynamic dimension ("
                 << d << "); this target takes statically shaped inputs only";
        std::string name;
        if (names) {
          auto nameAttr = dyn_cast<StringAttr>(names[d]);
          if (!nameAttr)
            return func.emitError() << "model input " << inputName
                                    << ": tfm.dims holds a non-string";
          name = nameAttr.str();
        }
        // An unnamed dimension is a symbol of its own.
        std::string label = name.empty() ? "?" : name;
        if (name.empty())
          name = inputName + "." + std::to_string(d);
        int64_t bound = bounds ? bounds[d] : -1;
        if (derived.contains(name)) {
          deferred.push_back({inputDims.size(), name, bound, inputName, d});
          inputDims.push_back(-1);
          inputBounds.push_back(-1);
          continue;
        }
        if (bound < 0)
          bound = maxDim;
        if (bound <= 0)
          return func.emitError()
                 << "model input " << inputName << " dimension " << d << " ('"
                 << label
                 << "') has no upper bound: give one with tfm.dim_bounds or "
                    "max-dim (tfmc: --max-seq N, or --dim NAME=?N)";
        auto *found = llvm::find_if(
            symbols, [&](const Symbol &symbol) { return symbol.name == name; });
        if (found == symbols.end()) {
          symbols.push_back({name, bound});
          found = std::prev(symbols.end());
        } else {
          found->bound = std::min(found->bound, bound);
        }
        inputDims.push_back(found - symbols.begin());
        inputBounds.push_back(-1); // Filled below, once bounds are final.
      }
    }
    for (const Deferred &dim : deferred) {
      std::pair<std::string, int64_t> relation = derived.lookup(dim.name);
      const std::string &baseName = relation.first;
      int64_t offset = relation.second;
      auto *base = llvm::find_if(symbols, [&](const Symbol &symbol) {
        return symbol.name == baseName && symbol.base < 0;
      });
      if (base == symbols.end())
        return func.emitError()
               << "model input " << dim.input << " dimension " << dim.dim
               << " ('" << dim.name << "') is '" << baseName << "' + " << offset
               << ", but no input has '" << baseName
               << "' as a dynamic dimension of its own";
      int32_t baseIndex = base - symbols.begin();
      if (dim.bound >= 0)
        base->bound = std::min(base->bound, dim.bound - offset);
      auto *found = llvm::find_if(symbols, [&](const Symbol &symbol) {
        return symbol.name == dim.name;
      });
      if (found == symbols.end()) {
        symbols.push_back({dim.name, 0, baseIndex, offset});
        found = std::prev(symbols.end());
      }
      inputDims[dim.slot] = found - symbols.begin();
    }
    for (Symbol &symbol : symbols)
      if (symbol.base >= 0) {
        if (symbols[symbol.base].bound < 0)
          return func.emitError()
                 << "dynamic dimension '" << symbols[symbol.base].name
                 << "' has a bound below 0 ('" << symbol.name << "' is it + "
                 << symbol.offset << ", at most "
                 << symbols[symbol.base].bound + symbol.offset << ")";
        symbol.bound = symbols[symbol.base].bound + symbol.offset;
      }
    for (auto [dim, bound] : llvm::zip(inputDims, inputBounds))
      if (dim >= 0)
        bound = symbols[dim].bound;
    return success();
  }

  LogicalResult convert(func::FuncOp func) {
    MLIRContext *ctx = &getContext();
    FunctionType type = func.getFunctionType();
    unsigned numInputs = type.getNumInputs();
    for (auto [i, input] : llvm::enumerate(type.getInputs()))
      if (!isa<RankedTensorType>(input))
        return func.emitError() << "model inputs must be ranked tensors, got "
                                << input << " for input " << i;
    SmallVector<Symbol> symbols;
    SmallVector<int32_t> inputDims;
    SmallVector<int64_t> inputBounds;
    if (failed(collectSymbols(func, symbols, inputDims, inputBounds)))
      return failure();
    for (auto [i, result] : llvm::enumerate(type.getResults())) {
      auto tensorType = dyn_cast<RankedTensorType>(result);
      if (!tensorType)
        return func.emitError()
               << "model outputs must be ranked tensors, got " << result;
      if (!tensorType.hasStaticShape() && !dynamic)
        return func.emitError()
               << "model output "
               << getBoundaryName(func.getResultAttrDict(i), "output", i)
               << " has a dynamic dimension; this target takes statically "
                  "shaped outputs only";
    }

    int64_t numOutputDims = 0;
    for (Type result : type.getResults())
      numOutputDims += cast<RankedTensorType>(result).getNumDynamicDims();
    int64_t numDims = static_cast<int64_t>(symbols.size()) + numOutputDims;

    OpBuilder b(ctx);
    b.setInsertionPointToStart(&func.front());
    Location loc = func.getLoc();
    Value dimsArg;
    SmallVector<Value> symbolValues;
    if (numDims > 0) {
      auto dimsType = MemRefType::get({numDims}, b.getI64Type());
      if (failed(func.insertArgument(func.getNumArguments(), dimsType,
                                     b.getDictionaryAttr(b.getNamedAttr(
                                         "tfm.name", b.getStringAttr("dims"))),
                                     loc)))
        return failure();
      dimsArg = func.getArguments().back();
      // Each symbol, clamped to its bound: the bound of every size derived
      // from it (the memory plan's, and the outputs' below).
      for (auto [k, symbol] : llvm::enumerate(symbols)) {
        if (symbol.base >= 0) {
          // Its base's clamped value plus the offset (its slot unread).
          AffineMap shift = AffineMap::get(
              0, 1, b.getAffineSymbolExpr(0) + symbol.offset, ctx);
          symbolValues.push_back(affine::AffineApplyOp::create(
              b, loc, shift, ValueRange{symbolValues[symbol.base]}));
          continue;
        }
        Value index = arith::ConstantIndexOp::create(b, loc, k);
        Value raw = memref::LoadOp::create(b, loc, dimsArg, index);
        Value size = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
        AffineMap clamp = AffineMap::get(
            0, 1,
            {b.getAffineSymbolExpr(0), b.getAffineConstantExpr(symbol.bound)},
            ctx);
        symbolValues.push_back(
            affine::AffineMinOp::create(b, loc, clamp, ValueRange{size}));
      }
    }

    // Dynamic inputs: a flat buffer viewed with the symbols' sizes.
    unsigned nextDim = 0;
    for (auto [i, arg] :
         llvm::enumerate(func.getArguments().take_front(numInputs))) {
      auto tensorType = cast<RankedTensorType>(arg.getType());
      // This input's entries of inputDims and inputBounds.
      unsigned first = nextDim;
      nextDim += tensorType.getRank();
      if (tensorType.hasStaticShape())
        continue;
      ArrayRef<int32_t> dims =
          ArrayRef<int32_t>(inputDims).slice(first, tensorType.getRank());
      FailureOr<MemRefType> flat = getFlatType(
          tensorType, ArrayRef<int64_t>(inputBounds).slice(first, dims.size()));
      if (failed(flat))
        return func.emitError()
               << "model input "
               << getBoundaryName(func.getArgAttrDict(i), "input", i)
               << " is too large at its bounds";
      SmallVector<OpFoldResult> sizes;
      for (auto [d, symbol] : llvm::enumerate(dims))
        sizes.push_back(
            symbol < 0 ? OpFoldResult(b.getIndexAttr(tensorType.getDimSize(d)))
                       : OpFoldResult(symbolValues[symbol]));
      arg.setType(*flat);
      Value view = viewPacked(b, loc, arg, tensorType, sizes);
      Value tensor = bufferization::ToTensorOp::create(
          b, loc, tensorType, view, /*restrict=*/true, /*writable=*/false);
      arg.replaceAllUsesExcept(tensor, view.getDefiningOp());
      // Sizes read from the input are the symbols themselves.
      for (Operation *user : llvm::make_early_inc_range(tensor.getUsers()))
        if (auto dim = dyn_cast<tensor::DimOp>(user))
          if (std::optional<int64_t> d = dim.getConstantIndex();
              d && *d >= 0 && *d < tensorType.getRank() && dims[*d] >= 0)
            dim.replaceAllUsesWith(symbolValues[dims[*d]]);
    }

    // Inputs without elements: their users (if any are left) read an empty
    // tensor of the original shape, which holds nothing to read.
    for (BlockArgument arg : func.getArguments().take_front(numInputs)) {
      auto tensorType = dyn_cast<RankedTensorType>(arg.getType());
      if (!tensorType || !tensorType.hasStaticShape() ||
          tensorType.getNumElements() != 0 || tensorType.getRank() == 1)
        continue;
      Value empty = tensor::EmptyOp::create(
          b, arg.getLoc(), tensorType.getShape(), tensorType.getElementType());
      arg.replaceAllUsesWith(empty);
      arg.setType(getBoundaryType(tensorType));
    }

    // Output buffers: a dynamic one's flat type waits for its bounds.
    SmallVector<Type> outputTypes;
    for (Type result : type.getResults()) {
      auto tensorType = cast<RankedTensorType>(result);
      auto boundary = cast<RankedTensorType>(getBoundaryType(tensorType));
      outputTypes.push_back(
          tensorType.hasStaticShape()
              ? MemRefType::get(boundary.getShape(), boundary.getElementType())
              : MemRefType::get({0}, tensorType.getElementType()));
    }
    SmallVector<DictionaryAttr> resultAttrs;
    func.getAllResultAttrs(resultAttrs);
    SmallVector<Type> inputTypes(func.front().getArgumentTypes());
    func.setFunctionType(FunctionType::get(ctx, inputTypes, type.getResults()));

    // New arguments before `dims` carry the results' attributes.
    SmallVector<unsigned> indices(outputTypes.size(), numInputs);
    SmallVector<DictionaryAttr> argAttrs = llvm::map_to_vector(
        resultAttrs, [](DictionaryAttr attrs) { return attrs; });
    argAttrs.resize(outputTypes.size());
    SmallVector<Location> locs(outputTypes.size(), func.getLoc());
    if (failed(func.insertArguments(indices, outputTypes, argAttrs, locs)))
      return failure();
    SmallVector<BlockArgument> outputs(
        func.getArguments().slice(numInputs, outputTypes.size()));
    llvm::BitVector allResults(type.getNumResults(), true);
    if (failed(func.eraseResults(allResults)))
      return failure();

    // Every return stores its operands into the outputs, and the sizes of
    // their dynamic dimensions into `dims`.
    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp op) { returns.push_back(op); });
    SmallVector<Operation *> sizeOps;
    SmallVector<memref::StoreOp> sizeStores;
    for (func::ReturnOp ret : returns) {
      OpBuilder b(ret);
      Location loc = ret.getLoc();
      int64_t nextDim = symbols.size();
      for (auto [value, output] : llvm::zip(ret.getOperands(), outputs)) {
        auto tensorType = cast<RankedTensorType>(value.getType());
        Value destination = output;
        if (!tensorType.hasStaticShape()) {
          SmallVector<OpFoldResult> sizes;
          for (int64_t d = 0; d < tensorType.getRank(); ++d) {
            if (!tensorType.isDynamicDim(d)) {
              sizes.push_back(b.getIndexAttr(tensorType.getDimSize(d)));
              continue;
            }
            auto size = tensor::DimOp::create(b, loc, value, d);
            Value slot = arith::ConstantIndexOp::create(b, loc, nextDim++);
            sizeStores.push_back(memref::StoreOp::create(
                b, loc,
                arith::IndexCastOp::create(b, loc, b.getI64Type(), size),
                dimsArg, slot));
            sizeOps.push_back(size);
            sizes.push_back(size.getResult());
          }
          destination = viewPacked(b, loc, output, tensorType, sizes);
        } else if (cast<MemRefType>(output.getType()).getNumElements() == 0) {
          continue; // Nothing to store.
        }
        bufferization::MaterializeInDestinationOp::create(
            b, loc, TypeRange{}, value, destination, /*restrict=*/true,
            /*writable=*/true);
      }
      func::ReturnOp::create(b, loc);
      ret.erase();
    }

    // The outputs' sizes in terms of the symbols (through reshapes, loops
    // and the input views), whose clamps bound them.
    if (!sizeOps.empty()) {
      // (Every size query of the function: the outputs' read others'.)
      sizeOps.clear();
      func.walk([&](tensor::DimOp op) { sizeOps.push_back(op); });
      RewritePatternSet patterns(ctx);
      for (Dialect *dialect : ctx->getLoadedDialects())
        dialect->getCanonicalizationPatterns(patterns);
      for (RegisteredOperationName op : ctx->getRegisteredOperations())
        op.getCanonicalizationPatterns(patterns, ctx);
      memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
      scf::populateSCFForLoopCanonicalizationPatterns(patterns);
      patterns.add<DimOfReinterpretCast, DimOfShapeSource>(ctx);
      GreedyRewriteConfig config;
      config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
      (void)applyOpPatternsGreedily(sizeOps, std::move(patterns), config);
    }
    SmallVector<int64_t> outputDimBounds(numOutputDims, 0);
    for (memref::StoreOp store : sizeStores) {
      int64_t slot =
          *getConstantIntValue(store.getIndices().front()) - symbols.size();
      Value size = store.getValueToStore().getDefiningOp()->getOperand(0);
      FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
          presburger::BoundType::UB, size, /*stopCondition=*/nullptr,
          /*closedUB=*/true);
      if (failed(bound) || *bound < 0) {
        // Which output and dimension the slot is.
        int64_t seen = 0;
        for (auto [i, result] : llvm::enumerate(type.getResults()))
          for (int64_t d = 0, e = cast<RankedTensorType>(result).getRank();
               d < e; ++d)
            if (cast<RankedTensorType>(result).isDynamicDim(d) &&
                seen++ == slot)
              return func.emitError()
                     << "model output "
                     << getBoundaryName(resultAttrs[i], "output", i)
                     << " dimension " << d
                     << " has no upper bound that follows from the inputs' "
                        "bounds";
        return failure();
      }
      outputDimBounds[slot] = std::max(outputDimBounds[slot], *bound);
    }
    int64_t slot = 0;
    for (auto [i, result] : llvm::enumerate(type.getResults())) {
      auto tensorType = cast<RankedTensorType>(result);
      if (tensorType.hasStaticShape())
        continue;
      SmallVector<int64_t> bounds;
      for (int64_t d = 0; d < tensorType.getRank(); ++d)
        bounds.push_back(tensorType.isDynamicDim(d) ? outputDimBounds[slot++]
                                                    : tensorType.getDimSize(d));
      FailureOr<MemRefType> flat = getFlatType(tensorType, bounds);
      if (failed(flat))
        return func.emitError() << "model output "
                                << getBoundaryName(resultAttrs[i], "output", i)
                                << " is too large at its bounds";
      outputs[i].setType(*flat);
    }
    func.setFunctionType(
        FunctionType::get(ctx, func.front().getArgumentTypes(), {}));
    if (!entryName.empty())
      func.setSymName(entryName);
    func->setAttr(kEntryAttrName, UnitAttr::get(ctx));
    // Every buffer crossing the entry point is statically shaped: it takes
    // bare pointers, which the runtime can pass without descriptors.
    func->setAttr("llvm.bareptr", UnitAttr::get(ctx));
    if (numDims > 0) {
      OpBuilder attrs(ctx);
      func->setAttr("tfm.symbols", attrs.getStrArrayAttr(llvm::map_to_vector(
                                       symbols, [](const Symbol &s) {
                                         return StringRef(s.name);
                                       })));
      func->setAttr("tfm.symbol_bounds",
                    attrs.getDenseI64ArrayAttr(llvm::map_to_vector(
                        symbols, [](const Symbol &s) { return s.bound; })));
      if (llvm::any_of(symbols, [](const Symbol &s) { return s.base >= 0; })) {
        func->setAttr("tfm.symbol_bases",
                      attrs.getDenseI32ArrayAttr(llvm::map_to_vector(
                          symbols, [](const Symbol &s) { return s.base; })));
        func->setAttr("tfm.symbol_offsets",
                      attrs.getDenseI64ArrayAttr(llvm::map_to_vector(
                          symbols, [](const Symbol &s) { return s.offset; })));
      }
      func->removeAttr("tfm.derived_dims");
      func->setAttr("tfm.input_dims", attrs.getDenseI32ArrayAttr(inputDims));
      func->setAttr("tfm.output_dim_bounds",
                    attrs.getDenseI64ArrayAttr(outputDimBounds));
    }
    return success();
  }
};

} // namespace
