//===- DynamicImport.cpp - dynamic dimensions from imports at probe sizes -===//
//
// A model whose graph computes shapes (Shape, Gather, Concat, Range,
// ConstantOfShape, Slice bounds...) imports with static shapes: its shape
// subgraphs fold to constants. With a dimension kept dynamic, the importer
// imports the model several times: once with every symbol at its bound
// (the base), and for each symbol twice more, at bound - 1 and bound - 2.
// The imports have the same ops in the same order; what the symbols change
// are sizes: a dimension, a slice limit, or a constant that holds the
// prefix of the base's (positions, a causal mask, rotary tables cut to the
// sequence). Each such size is affine in the symbols (checked on the three
// values: a * s + b); the base then becomes the dynamic module: varying
// dimensions `?`, varying limits run-time values, and varying constants
// slices of the base's at run-time limits, the symbols read with
// tensor.dim from the function's arguments.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::onnx_import;

namespace {

/// A size over the symbols: sum of coeffs[k] * symbol k, plus offset.
struct AffineSize {
  SmallVector<int64_t> coeffs;
  int64_t offset = 0;
  bool isConstant() const {
    return llvm::all_of(coeffs, [](int64_t c) { return c == 0; });
  }
};

class Merger {
public:
  Merger(func::FuncOp base, ArrayRef<SymbolProbe> symbols)
      : base(base), symbols(symbols), b(base.getContext()) {}

  LogicalResult run();

private:
  /// The affine form of a size that is `value` in the base and
  /// `lower[k][0..1]` with symbol k at bound - 1 and bound - 2; failure
  /// when it is not affine.
  FailureOr<AffineSize> solve(int64_t value,
                              ArrayRef<std::array<int64_t, 2>> lower) const;
  /// The base's `type` with the dimensions that vary in the probes dynamic;
  /// failure when one varies other than affinely.
  FailureOr<Type> mergeType(Type type, ArrayRef<std::array<Type, 2>> probes,
                            Location loc) const;
  /// The run-time value of `size`.
  Value materialize(const AffineSize &size, Location loc);
  LogicalResult mergeConstant(ConstantOp op,
                              ArrayRef<std::array<Operation *, 2>> probes);
  LogicalResult mergeSlice(SliceOp op,
                           ArrayRef<std::array<Operation *, 2>> probes);

  func::FuncOp base;
  ArrayRef<SymbolProbe> symbols;
  OpBuilder b;
  /// tensor.dim of each symbol's source argument, made on first use.
  SmallVector<Value> symbolValues;
};

} // namespace

FailureOr<AffineSize>
Merger::solve(int64_t value, ArrayRef<std::array<int64_t, 2>> lower) const {
  AffineSize size;
  size.offset = value;
  for (auto [k, probe] : llvm::enumerate(lower)) {
    int64_t coeff = value - probe[0];
    if (probe[0] - probe[1] != coeff)
      return failure();
    size.coeffs.push_back(coeff);
    size.offset -= coeff * symbols[k].bound;
  }
  return size;
}

FailureOr<Type> Merger::mergeType(Type type,
                                  ArrayRef<std::array<Type, 2>> probes,
                                  Location loc) const {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType) {
    if (llvm::all_of(probes, [&](const std::array<Type, 2> &p) {
          return p[0] == type && p[1] == type;
        }))
      return type;
    return failure();
  }
  SmallVector<int64_t> shape(tensorType.getShape());
  for (const std::array<Type, 2> &p : probes)
    for (Type probe : p) {
      auto probeType = dyn_cast<RankedTensorType>(probe);
      if (!probeType || probeType.getRank() != tensorType.getRank() ||
          probeType.getElementType() != tensorType.getElementType())
        return failure();
    }
  for (int64_t d = 0; d < tensorType.getRank(); ++d) {
    SmallVector<std::array<int64_t, 2>> lower;
    for (const std::array<Type, 2> &p : probes)
      lower.push_back({cast<RankedTensorType>(p[0]).getDimSize(d),
                       cast<RankedTensorType>(p[1]).getDimSize(d)});
    FailureOr<AffineSize> size = solve(shape[d], lower);
    if (failed(size))
      return failure();
    if (!size->isConstant())
      shape[d] = ShapedType::kDynamic;
  }
  return Type(tensorType.clone(shape));
}

Value Merger::materialize(const AffineSize &size, Location loc) {
  if (symbolValues.empty()) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&base.front());
    for (const SymbolProbe &symbol : symbols)
      symbolValues.push_back(tensor::DimOp::create(
          b, loc, base.getArgument(symbol.argument), symbol.dim));
  }
  Value result;
  auto add = [&](Value term) {
    result =
        result ? arith::AddIOp::create(b, loc, result, term).getResult() : term;
  };
  for (auto [k, coeff] : llvm::enumerate(size.coeffs)) {
    if (coeff == 0)
      continue;
    Value term = symbolValues[k];
    if (coeff != 1)
      term = arith::MulIOp::create(
          b, loc, term, arith::ConstantIndexOp::create(b, loc, coeff));
    add(term);
  }
  if (size.offset != 0 || !result)
    add(arith::ConstantIndexOp::create(b, loc, size.offset));
  return result;
}

/// Whether `probe` holds the leading part of `base` (same rank, each
/// dimension no longer).
static bool isPrefix(DenseElementsAttr base, DenseElementsAttr probe) {
  ArrayRef<int64_t> outer = base.getType().getShape();
  ArrayRef<int64_t> inner = probe.getType().getShape();
  if (outer.size() != inner.size())
    return false;
  for (auto [o, i] : llvm::zip(outer, inner))
    if (i > o)
      return false;
  if (base.isSplat() && probe.isSplat())
    return base.getSplatValue<Attribute>() == probe.getSplatValue<Attribute>();
  auto baseValues = base.getValues<Attribute>();
  auto probeValues = probe.getValues<Attribute>();
  SmallVector<int64_t> index(inner.size(), 0);
  for (int64_t i = 0, e = probe.getNumElements(); i < e; ++i) {
    int64_t flat = 0;
    for (auto [d, o] : llvm::enumerate(outer))
      flat = flat * o + index[d];
    if (baseValues[flat] != probeValues[i])
      return false;
    for (int64_t d = static_cast<int64_t>(inner.size()) - 1; d >= 0; --d) {
      if (++index[d] < inner[d])
        break;
      index[d] = 0;
    }
  }
  return true;
}

/// Whether two constants hold the same elements (blobs compared by bytes).
static bool sameElements(ElementsAttr a, ElementsAttr b) {
  if (a == b)
    return true;
  auto ra = dyn_cast<DenseResourceElementsAttr>(a);
  auto rb = dyn_cast<DenseResourceElementsAttr>(b);
  if (!ra || !rb || ra.getType() != rb.getType())
    return false;
  AsmResourceBlob *blobA = ra.getRawHandle().getBlob();
  AsmResourceBlob *blobB = rb.getRawHandle().getBlob();
  return blobA && blobB && blobA->getData() == blobB->getData();
}

LogicalResult
Merger::mergeConstant(ConstantOp op,
                      ArrayRef<std::array<Operation *, 2>> probes) {
  auto value = cast<ElementsAttr>(op.getValue());
  bool same = llvm::all_of(probes, [&](const std::array<Operation *, 2> &p) {
    return sameElements(value, cast<ConstantOp>(p[0]).getValue()) &&
           sameElements(value, cast<ConstantOp>(p[1]).getValue());
  });
  if (same)
    return success();
  // A constant cut to the sequence: the base's, sliced at run time.
  auto dense = dyn_cast<DenseElementsAttr>(value);
  SmallVector<std::array<Type, 2>> types;
  for (const std::array<Operation *, 2> &p : probes) {
    for (Operation *probe : p) {
      auto probeValue =
          dyn_cast<DenseElementsAttr>(cast<ConstantOp>(probe).getValue());
      if (!dense || !probeValue || !isPrefix(dense, probeValue))
        return op.emitError()
               << "holds a constant that the dynamic dimensions change other "
                  "than by cutting it (not supported with a dynamic "
                  "dimension yet)";
    }
    types.push_back(
        {p[0]->getResult(0).getType(), p[1]->getResult(0).getType()});
  }
  auto type = cast<RankedTensorType>(op.getType());
  SmallVector<int64_t> limits(type.getShape());
  SmallVector<Value> dynamicLimits;
  b.setInsertionPointAfter(op);
  for (int64_t d = 0; d < type.getRank(); ++d) {
    SmallVector<std::array<int64_t, 2>> lower;
    for (const std::array<Type, 2> &t : types)
      lower.push_back({cast<RankedTensorType>(t[0]).getDimSize(d),
                       cast<RankedTensorType>(t[1]).getDimSize(d)});
    FailureOr<AffineSize> size = solve(type.getDimSize(d), lower);
    if (failed(size))
      return op.emitError() << "holds a constant whose dimension " << d
                            << " is not affine in the dynamic dimensions";
    if (size->isConstant())
      continue;
    limits[d] = ShapedType::kDynamic;
    dynamicLimits.push_back(materialize(*size, op.getLoc()));
  }
  SmallVector<int64_t> shape(limits);
  auto slice =
      SliceOp::create(b, op.getLoc(), type.clone(shape), op.getResult(),
                      SmallVector<int64_t>(type.getRank(), 0), limits,
                      SmallVector<int64_t>(type.getRank(), 1), dynamicLimits);
  op.getResult().replaceAllUsesExcept(slice.getResult(), slice);
  return success();
}

LogicalResult Merger::mergeSlice(SliceOp op,
                                 ArrayRef<std::array<Operation *, 2>> probes) {
  SmallVector<int64_t> limits(op.getLimits());
  SmallVector<Value> dynamicLimits;
  for (const std::array<Operation *, 2> &p : probes)
    for (Operation *probe : p) {
      auto other = cast<SliceOp>(probe);
      if (other.getStarts() != op.getStarts() ||
          other.getStrides() != op.getStrides() ||
          !other.getDynamicLimits().empty())
        return op.emitError() << "starts or strides change with the dynamic "
                                 "dimensions (not supported yet)";
    }
  b.setInsertionPoint(op);
  for (int64_t d = 0, e = limits.size(); d < e; ++d) {
    SmallVector<std::array<int64_t, 2>> lower;
    for (const std::array<Operation *, 2> &p : probes)
      lower.push_back({cast<SliceOp>(p[0]).getLimits()[d],
                       cast<SliceOp>(p[1]).getLimits()[d]});
    FailureOr<AffineSize> size = solve(limits[d], lower);
    if (failed(size))
      return op.emitError()
             << "limit " << d << " is not affine in the dynamic dimensions";
    if (size->isConstant())
      continue;
    limits[d] = ShapedType::kDynamic;
    // A limit that is the input's size in every import (both affine in the
    // symbols, so equal at the base too) reads that size, which says to
    // later passes that the slice keeps all of dimension d.
    bool wholeDim =
        op.getStarts()[d] == 0 && op.getStrides()[d] == 1 &&
        llvm::all_of(probes, [&](const std::array<Operation *, 2> &p) {
          return llvm::all_of(p, [&](Operation *probe) {
            auto other = cast<SliceOp>(probe);
            return other.getLimits()[d] ==
                   other.getInput().getType().getDimSize(d);
          });
        });
    if (wholeDim && op.getInput().getType().isDynamicDim(d))
      dynamicLimits.push_back(
          tensor::DimOp::create(b, op.getLoc(), op.getInput(), d));
    else
      dynamicLimits.push_back(materialize(*size, op.getLoc()));
  }
  op.setLimits(limits);
  op.getDynamicLimitsMutable().assign(dynamicLimits);
  return success();
}

LogicalResult Merger::run() {
  auto bodyOps = [](func::FuncOp func) {
    return llvm::map_to_vector(func.front(), [](Operation &op) { return &op; });
  };
  SmallVector<Operation *> baseOps = bodyOps(base);
  SmallVector<std::array<SmallVector<Operation *>, 2>> probeOps;
  SmallVector<std::array<func::FuncOp, 2>> probeFuncs;
  for (const SymbolProbe &symbol : symbols) {
    ModuleOp lower0 = symbol.lower[0], lower1 = symbol.lower[1];
    std::array<func::FuncOp, 2> funcs = {
        *lower0.getOps<func::FuncOp>().begin(),
        *lower1.getOps<func::FuncOp>().begin()};
    probeFuncs.push_back(funcs);
    probeOps.push_back({bodyOps(funcs[0]), bodyOps(funcs[1])});
    for (const auto &ops : probeOps.back())
      if (ops.size() != baseOps.size())
        return base.emitError()
               << "imports to a different graph at " << symbol.name << " = "
               << symbol.bound << " than below it (" << baseOps.size()
               << " against " << ops.size() << " ops): give '" << symbol.name
               << "' a smaller bound";
  }

  // Values by position: arguments, then each op's results.
  auto numberValues = [](func::FuncOp func, ArrayRef<Operation *> ops) {
    DenseMap<Value, std::pair<int64_t, int64_t>> numbers;
    for (BlockArgument arg : func.getArguments())
      numbers[arg] = {-1, arg.getArgNumber()};
    for (auto [i, op] : llvm::enumerate(ops))
      for (OpResult result : op->getResults())
        numbers[result] = {static_cast<int64_t>(i), result.getResultNumber()};
    return numbers;
  };
  // (The base's operands are numbered before merging replaces any.)
  auto baseNumbers = numberValues(base, baseOps);
  SmallVector<SmallVector<std::pair<int64_t, int64_t>>> baseOperands;
  for (Operation *op : baseOps)
    baseOperands.push_back(llvm::map_to_vector(
        op->getOperands(), [&](Value v) { return baseNumbers.lookup(v); }));
  SmallVector<std::array<DenseMap<Value, std::pair<int64_t, int64_t>>, 2>>
      probeNumbers;
  for (auto [funcs, ops] : llvm::zip(probeFuncs, probeOps))
    probeNumbers.push_back(
        {numberValues(funcs[0], ops[0]), numberValues(funcs[1], ops[1])});

  // Arguments.
  for (BlockArgument arg : base.getArguments()) {
    SmallVector<std::array<Type, 2>> types;
    for (std::array<func::FuncOp, 2> funcs : probeFuncs)
      types.push_back({funcs[0].getArgument(arg.getArgNumber()).getType(),
                       funcs[1].getArgument(arg.getArgNumber()).getType()});
    FailureOr<Type> type = mergeType(arg.getType(), types, base.getLoc());
    if (failed(type))
      return base.emitError() << "input " << arg.getArgNumber()
                              << " changes other than in its dynamic sizes";
    arg.setType(*type);
  }

  for (auto [i, op] : llvm::enumerate(baseOps)) {
    SmallVector<std::array<Operation *, 2>> probes;
    for (auto [k, ops] : llvm::enumerate(probeOps)) {
      std::array<Operation *, 2> pair = {ops[0][i], ops[1][i]};
      for (auto [j, probe] : llvm::enumerate(pair)) {
        bool sameShape = probe->getName() == op->getName() &&
                         probe->getNumOperands() == op->getNumOperands() &&
                         probe->getNumResults() == op->getNumResults();
        for (unsigned o = 0; sameShape && o < op->getNumOperands(); ++o)
          sameShape = baseOperands[i][o] ==
                      probeNumbers[k][j].lookup(probe->getOperand(o));
        if (!sameShape)
          return op->emitError()
                 << "imports differently at another size of '"
                 << symbols[k].name << "' ('" << probe->getName()
                 << "' there): the graph's structure depends on it";
      }
      probes.push_back(pair);
    }
    // Attributes: constants and slice limits may vary, nothing else.
    Attribute properties = op->getPropertiesAsAttribute();
    DictionaryAttr discardable = op->getDiscardableAttrDictionary();
    bool sameAttrs = llvm::all_of(probes, [&](const auto &pair) {
      return llvm::all_of(pair, [&](Operation *probe) {
        return probe->getPropertiesAsAttribute() == properties &&
               probe->getDiscardableAttrDictionary() == discardable;
      });
    });
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      if (failed(mergeConstant(constant, probes)))
        return failure();
      continue;
    }
    if (auto slice = dyn_cast<SliceOp>(op)) {
      if (!sameAttrs && failed(mergeSlice(slice, probes)))
        return failure();
    } else if (!sameAttrs) {
      return op->emitError() << "has attributes that depend on the dynamic "
                                "dimensions (not supported yet)";
    }
    for (OpResult result : op->getResults()) {
      SmallVector<std::array<Type, 2>> types;
      for (const auto &pair : probes)
        types.push_back(
            {pair[0]->getResult(result.getResultNumber()).getType(),
             pair[1]->getResult(result.getResultNumber()).getType()});
      FailureOr<Type> type = mergeType(result.getType(), types, op->getLoc());
      if (failed(type))
        return op->emitError()
               << "has a result whose size is not affine in the dynamic "
                  "dimensions";
      result.setType(*type);
    }
  }
  auto ret = cast<func::ReturnOp>(base.front().getTerminator());
  base.setType(FunctionType::get(base.getContext(),
                                 base.front().getArgumentTypes(),
                                 ret.getOperandTypes()));
  return success();
}

LogicalResult
mlir::tfm::onnx_import::mergeProbeImports(ModuleOp base,
                                          ArrayRef<SymbolProbe> symbols) {
  auto funcs = base.getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1)
    return base.emitError() << "an imported model is one function";
  return Merger(*funcs.begin(), symbols).run();
}
