//===- Prune.cpp - magnitude, block, N:M and FFN-channel pruning ----------===//
//
// Unstructured, block and N:M pruning zero elements of the constant [N, K]
// weights of linear layers (the dense constant keeps its shape):
//
//   magnitude  the smallest |w| of each weight (or of all, `global`)
//   block      the block-rows x block-cols blocks of smallest RMS
//   n-m        the m - n smallest |w| of every m consecutive along K
//
// Structured FFN-channel pruning removes hidden channels of a feed-forward
// block, linear(x, W1, b1) [-> swiglu] -> linear(h, W2, b2):
//
//   W1 [F, D] -> W1[kept, :], b1 -> b1[kept], W2 [D', F] -> W2[:, kept]
//
// (for SwiGLU, W1 is [2F, D] and both halves' rows of a channel go), the
// channels scored by ||W1[c, :]|| · ||W2[:, c]||.
//
//===----------------------------------------------------------------------===//

#include "WeightUtils.h"
#include "tfm/Passes/Passes.h"

#include "tfm/Dialect/Tfm/Folding.h"
#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace mlir::tfm {
#define GEN_PASS_DEF_PRUNEPASS
#include "tfm/Passes/Passes.h.inc"
} // namespace mlir::tfm

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::weights;

namespace {

/// A weight to prune: its source, [N, K] sizes and values (row-major
/// [N, K]), and the elements to zero.
struct PrunedWeight {
  WeightSource source;
  Operation *user;
  int64_t n = 0, k = 0;
  SmallVector<float> rows;
  /// Scores of the units pruning picks from (elements or blocks).
  SmallVector<float> scores;
  SmallVector<bool> zero;
};

/// True when everything that reads `constant` is the weight operand of a
/// linear or matmul (directly or through a transpose): pruning it changes
/// no other op (a tied embedding table is also gathered).
bool onlyWeightUsers(Value constant) {
  for (OpOperand &use : constant.getUses()) {
    Operation *user = use.getOwner();
    if (isa<LinearOp, MatmulOp>(user) && use.getOperandNumber() == 1)
      continue;
    if (auto transpose = dyn_cast<TransposeOp>(user))
      if (llvm::all_of(transpose->getUses(), [](OpOperand &inner) {
            return isa<LinearOp, MatmulOp>(inner.getOwner()) &&
                   inner.getOperandNumber() == 1;
          }))
        continue;
    return false;
  }
  return true;
}

/// Marks in `zero[u]` the `count` units of smallest score over all of
/// `weights` (ties in order: weight, then unit).
void markSmallest(MutableArrayRef<PrunedWeight *> weights, int64_t count) {
  for (PrunedWeight *w : weights)
    w->zero.assign(w->scores.size(), false);
  if (count <= 0)
    return;
  SmallVector<float> all;
  for (PrunedWeight *w : weights)
    all.append(w->scores.begin(), w->scores.end());
  if (count >= static_cast<int64_t>(all.size())) {
    for (PrunedWeight *w : weights)
      w->zero.assign(w->scores.size(), true);
    return;
  }
  std::nth_element(all.begin(), all.begin() + count, all.end());
  float threshold = all[count];
  int64_t below = 0;
  for (PrunedWeight *w : weights)
    for (float s : w->scores)
      below += s < threshold;
  int64_t ties = count - below;
  for (PrunedWeight *w : weights) {
    for (auto [i, s] : llvm::enumerate(w->scores)) {
      if (s < threshold)
        w->zero[i] = true;
      else if (s == threshold && ties > 0) {
        w->zero[i] = true;
        --ties;
      }
    }
  }
}

/// The storage index of element (r, c) of the [N, K] weight of `source`.
int64_t storageIndex(const WeightSource &source, int64_t n, int64_t k,
                     int64_t r, int64_t c) {
  return source.isTransposed ? c * n + r : r * k + c;
}

/// The [rows.size(), cols.size()] constant of the chosen rows and columns
/// of the [N, K] weight of `source`, in the [N, K] layout.
FailureOr<Value> pickWeight(OpBuilder &builder, const WeightSource &source,
                            int64_t n, int64_t k, ArrayRef<int64_t> rows,
                            ArrayRef<int64_t> cols) {
  auto type = cast<RankedTensorType>(source.constant.getType());
  SmallVector<char> storage;
  FailureOr<ArrayRef<char>> bytes = getConstantBytes(source.value, storage);
  int64_t size = getStorageBytes(type.getElementType());
  if (failed(bytes) || size == 0)
    return failure();
  SmallVector<char> picked;
  picked.reserve(rows.size() * cols.size() * size);
  for (int64_t r : rows)
    for (int64_t c : cols) {
      const char *element =
          bytes->data() + storageIndex(source, n, k, r, c) * size;
      picked.append(element, element + size);
    }
  auto pickedType = RankedTensorType::get(
      {static_cast<int64_t>(rows.size()), static_cast<int64_t>(cols.size())},
      type.getElementType());
  return ConstantOp::create(
             builder, source.constant.getLoc(),
             createConstantLike(source.value, pickedType, ".pruned", picked))
      .getResult();
}

struct PrunePass : tfm::impl::PrunePassBase<PrunePass> {
  using Base::Base;

  void runOnOperation() override {
    if (!(sparsity >= 0 && sparsity < 1)) {
      std::string text;
      llvm::raw_string_ostream(text)
          << "tfm-prune: sparsity "
          << llvm::format("%g", static_cast<double>(sparsity))
          << " is not in [0, 1)";
      getOperation().emitError() << text;
      return signalPassFailure();
    }
    if (blockRows < 1 || blockCols < 1) {
      getOperation().emitError() << "tfm-prune: block-rows and block-cols "
                                    "must be at least 1";
      return signalPassFailure();
    }
    if (n < 1 || m <= n || m > 64) {
      getOperation().emitError()
          << "tfm-prune: n-m needs 1 <= n < m <= 64 (got "
          << static_cast<int64_t>(n) << ":" << static_cast<int64_t>(m) << ")";
      return signalPassFailure();
    }
    if (method == PruningMethod::None)
      return;
    if (method == PruningMethod::FfnChannels) {
      if (failed(pruneFfnChannels()))
        return signalPassFailure();
    } else if (failed(pruneElements())) {
      return signalPassFailure();
    }
  }

  bool isExcluded(Operation *op, Attribute weight) {
    return weights::isExcluded(
        op, weight, isa<LinearOp>(op) ? "linear" : "matmul", exclude);
  }

  /// The float weights of linears and matmuls that pruning may change, one
  /// entry per constant.
  std::vector<PrunedWeight> collectWeights() {
    std::vector<PrunedWeight> found;
    llvm::DenseSet<Value> seen;
    getOperation().walk([&](Operation *op) {
      std::optional<WeightSource> source;
      if (auto linear = dyn_cast<LinearOp>(op)) {
        if (!linear.hasPackedWeight())
          source = getConstantWeight(linear.getWeight(), false);
      } else if (auto matmul = dyn_cast<MatmulOp>(op)) {
        if (isa<FloatType>(matmul.getType().getElementType()))
          source = getConstantWeight(matmul.getRhs(), true);
      }
      if (!source || !seen.insert(source->constant).second)
        return;
      if (!onlyWeightUsers(source->constant) || isExcluded(op, source->value)) {
        ++numSkipped;
        return;
      }
      PrunedWeight weight;
      weight.source = *source;
      weight.user = op;
      FailureOr<SmallVector<float>> rows =
          getWeightRows(*source, weight.n, weight.k);
      if (failed(rows)) {
        ++numSkipped;
        return;
      }
      weight.rows = std::move(*rows);
      found.push_back(std::move(weight));
    });
    return found;
  }

  /// Magnitude, block and N:M pruning.
  LogicalResult pruneElements() {
    std::vector<PrunedWeight> found = collectWeights();
    SmallVector<PrunedWeight *> pruned;
    for (PrunedWeight &w : found) {
      if (method == PruningMethod::NM && w.k % m != 0) {
        ++numSkipped;
        continue;
      }
      pruned.push_back(&w);
    }
    // Scores of the units: elements or blocks.
    auto blocksAlong = [](int64_t size, int64_t block) {
      return (size + block - 1) / block;
    };
    for (PrunedWeight *w : pruned) {
      if (method == PruningMethod::Block) {
        int64_t br = blocksAlong(w->n, blockRows);
        int64_t bc = blocksAlong(w->k, blockCols);
        w->scores.assign(br * bc, 0);
        SmallVector<int64_t> counts(br * bc, 0);
        for (int64_t r = 0; r < w->n; ++r)
          for (int64_t c = 0; c < w->k; ++c) {
            int64_t b = (r / blockRows) * bc + c / blockCols;
            float v = w->rows[r * w->k + c];
            w->scores[b] += v * v;
            ++counts[b];
          }
        for (auto [s, count] : llvm::zip_equal(w->scores, counts))
          s = std::sqrt(s / count);
      } else {
        w->scores.resize(w->rows.size());
        for (auto [s, v] : llvm::zip_equal(w->scores, w->rows))
          s = std::fabs(v);
      }
    }
    // Units to zero.
    if (method == PruningMethod::NM) {
      for (PrunedWeight *w : pruned) {
        w->zero.assign(w->rows.size(), false);
        SmallVector<int64_t> group(m);
        for (int64_t start = 0; start < static_cast<int64_t>(w->rows.size());
             start += m) {
          std::iota(group.begin(), group.end(), start);
          std::stable_sort(group.begin(), group.end(),
                           [&](int64_t a, int64_t b) {
                             return w->scores[a] < w->scores[b];
                           });
          for (int64_t i = 0; i < m - n; ++i)
            w->zero[group[i]] = true;
        }
      }
    } else if (global) {
      int64_t units = 0;
      for (PrunedWeight *w : pruned)
        units += w->scores.size();
      markSmallest(pruned, static_cast<int64_t>(sparsity * units));
    } else {
      for (PrunedWeight *&w : pruned)
        markSmallest(MutableArrayRef<PrunedWeight *>(&w, 1),
                     static_cast<int64_t>(sparsity * w->scores.size()));
    }
    OpBuilder builder(&getContext());
    for (PrunedWeight *w : pruned)
      if (failed(writeZeros(builder, *w)))
        return failure();
    return success();
  }

  /// Replaces the weight constant by one with the chosen units zeroed.
  LogicalResult writeZeros(OpBuilder &builder, PrunedWeight &w) {
    auto type = cast<RankedTensorType>(w.source.constant.getType());
    SmallVector<char> storage;
    FailureOr<ArrayRef<char>> bytes = getConstantBytes(w.source.value, storage);
    int64_t size = getStorageBytes(type.getElementType());
    if (failed(bytes) || size == 0)
      return w.user->emitError("tfm-prune: the weight's bytes are not "
                               "available (an elided constant?)");
    SmallVector<char> pruned(bytes->begin(), bytes->end());
    int64_t bc = (w.k + blockCols - 1) / blockCols;
    int64_t zeros = 0;
    for (int64_t r = 0; r < w.n; ++r)
      for (int64_t c = 0; c < w.k; ++c) {
        int64_t unit = method == PruningMethod::Block
                           ? (r / blockRows) * bc + c / blockCols
                           : r * w.k + c;
        if (!w.zero[unit])
          continue;
        std::memset(pruned.data() +
                        storageIndex(w.source, w.n, w.k, r, c) * size,
                    0, size);
        ++zeros;
      }
    builder.setInsertionPointAfter(w.source.constant.getDefiningOp());
    Value replacement = ConstantOp::create(
        builder, w.source.constant.getLoc(),
        createConstantLike(w.source.value, type, ".pruned", pruned));
    Operation *old = w.source.constant.getDefiningOp();
    old->getResult(0).replaceAllUsesWith(replacement);
    old->erase();
    ++numPruned;
    if (report) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "pruned '" << describe(w.source.value) << "' [" << w.n << ", "
         << w.k << "] to " << llvm::format("%.1f", 100.0 * zeros / (w.n * w.k))
         << " % zeros";
      emitRemark(w.user->getLoc()) << text;
    }
    return success();
  }

  static std::string describe(Attribute value) {
    StringRef name = getWeightName(value);
    return name.empty() ? "<literal>" : name.str();
  }

  /// The constant 1-D bias `bias` of `size` elements, if it is one that
  /// only `user` reads.
  static std::optional<Attribute> getPrivateBias(Value bias, int64_t size,
                                                 Operation *user) {
    Attribute value;
    auto type = dyn_cast<RankedTensorType>(bias.getType());
    if (!type || type.getRank() != 1 || type.getDimSize(0) != size ||
        !matchPattern(bias, m_Constant(&value)) ||
        llvm::any_of(bias.getUsers(),
                     [&](Operation *other) { return other != user; }))
      return std::nullopt;
    return value;
  }

  /// Structured pruning of FFN channels.
  LogicalResult pruneFfnChannels() {
    SmallVector<LinearOp> downs;
    getOperation().walk([&](LinearOp op) { downs.push_back(op); });
    OpBuilder builder(&getContext());
    llvm::SetVector<Operation *> dead;
    for (LinearOp down : downs) {
      // h = up(x) [-> swiglu], read by `down` only.
      Value hidden = down.getInput();
      auto swiglu = hidden.getDefiningOp<SwigluOp>();
      Value upResult = swiglu ? swiglu.getInput() : hidden;
      auto up = upResult.getDefiningOp<LinearOp>();
      if (!up || down.hasPackedWeight() || up.hasPackedWeight() ||
          up.getResidual() || !hidden.hasOneUse() ||
          (swiglu && !upResult.hasOneUse()))
        continue;
      std::optional<WeightSource> upSource =
          getConstantWeight(up.getWeight(), false);
      std::optional<WeightSource> downSource =
          getConstantWeight(down.getWeight(), false);
      if (!upSource || !downSource)
        continue;
      auto isPrivate = [](const WeightSource &source, Operation *user) {
        return llvm::all_of(source.constant.getUsers(), [&](Operation *u) {
          return u == user || (isa<TransposeOp>(u) &&
                               llvm::all_of(u->getUsers(), [&](Operation *t) {
                                 return t == user;
                               }));
        });
      };
      if (!isPrivate(*upSource, up) || !isPrivate(*downSource, down) ||
          isExcluded(up, upSource->value) ||
          isExcluded(down, downSource->value)) {
        ++numSkipped;
        continue;
      }
      int64_t upN, upK, downN, downK;
      FailureOr<SmallVector<float>> upRows = getWeightRows(*upSource, upN, upK);
      FailureOr<SmallVector<float>> downRows =
          getWeightRows(*downSource, downN, downK);
      if (failed(upRows) || failed(downRows))
        continue;
      int64_t channels = downK;
      if (upN != (swiglu ? 2 * channels : channels))
        continue;
      std::optional<Attribute> bias;
      if (up.getBias()) {
        bias = getPrivateBias(up.getBias(), upN, up);
        if (!bias)
          continue;
      }
      // Channel scores: ||W1 rows|| · ||W2 column||.
      SmallVector<double> score(channels, 1.0);
      auto rowNorm = [&](int64_t r) {
        double sum = 0;
        for (int64_t c = 0; c < upK; ++c)
          sum += double((*upRows)[r * upK + c]) * (*upRows)[r * upK + c];
        return std::sqrt(sum);
      };
      for (int64_t ch = 0; ch < channels; ++ch) {
        double column = 0;
        for (int64_t r = 0; r < downN; ++r)
          column +=
              double((*downRows)[r * downK + ch]) * (*downRows)[r * downK + ch];
        score[ch] = rowNorm(ch) * std::sqrt(column);
        if (swiglu)
          score[ch] *= rowNorm(channels + ch);
      }
      int64_t removed = std::min<int64_t>(
          static_cast<int64_t>(sparsity * channels), channels - 1);
      if (removed == 0)
        continue;
      SmallVector<int64_t> order(channels);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return score[a] < score[b];
      });
      SmallVector<int64_t> kept(order.begin() + removed, order.end());
      llvm::sort(kept);
      SmallVector<int64_t> upKept(kept);
      if (swiglu)
        for (int64_t ch : kept)
          upKept.push_back(channels + ch);
      SmallVector<int64_t> allUpCols(upK), allDownRows(downN);
      std::iota(allUpCols.begin(), allUpCols.end(), 0);
      std::iota(allDownRows.begin(), allDownRows.end(), 0);

      builder.setInsertionPoint(up);
      FailureOr<Value> newUp =
          pickWeight(builder, *upSource, upN, upK, upKept, allUpCols);
      FailureOr<Value> newDown =
          pickWeight(builder, *downSource, downN, downK, allDownRows, kept);
      if (failed(newUp) || failed(newDown))
        return up.emitError("tfm-prune: the FFN's weight bytes are not "
                            "available (an elided constant?)");
      Value newBias;
      if (bias) {
        WeightSource biasSource{up.getBias(), *bias, false};
        // A [N] bias as an [N, 1] matrix: pick its kept rows.
        SmallVector<char> storage;
        FailureOr<ArrayRef<char>> bytes = getConstantBytes(*bias, storage);
        auto biasType = cast<RankedTensorType>(up.getBias().getType());
        int64_t size = getStorageBytes(biasType.getElementType());
        if (failed(bytes) || size == 0)
          return up.emitError("tfm-prune: the FFN's bias bytes are not "
                              "available (an elided constant?)");
        SmallVector<char> picked;
        for (int64_t r : upKept)
          picked.append(bytes->data() + r * size,
                        bytes->data() + (r + 1) * size);
        auto pickedType = RankedTensorType::get(
            {static_cast<int64_t>(upKept.size())}, biasType.getElementType());
        newBias = ConstantOp::create(
            builder, biasSource.constant.getLoc(),
            createConstantLike(*bias, pickedType, ".pruned", picked));
      }
      for (Value old : {up.getWeight(), down.getWeight(), up.getBias()})
        if (old)
          if (Operation *def = old.getDefiningOp())
            dead.insert(def);
      up.getWeightMutable().assign(*newUp);
      if (newBias)
        up.getBiasMutable().assign(newBias);
      down.getWeightMutable().assign(*newDown);
      auto resize = [](Value value, int64_t size) {
        auto type = cast<RankedTensorType>(value.getType());
        SmallVector<int64_t> shape(type.getShape());
        shape.back() = size;
        value.setType(type.clone(shape));
      };
      resize(up.getResult(), upKept.size());
      if (swiglu)
        resize(swiglu.getResult(), kept.size());
      ++numFfns;
      if (report)
        emitRemark(up.getLoc())
            << "pruned the FFN of '" << describe(upSource->value) << "' from "
            << channels << " to " << kept.size() << " channels";
    }
    // The replaced weights (and transposes of them) nothing reads now.
    for (size_t i = 0; i < dead.size(); ++i) {
      Operation *def = dead[i];
      if (!def->use_empty() || !isa<ConstantOp, TransposeOp>(def))
        continue;
      for (Value operand : def->getOperands())
        if (Operation *producer = operand.getDefiningOp())
          dead.insert(producer);
      def->dropAllReferences();
    }
    for (Operation *def : llvm::reverse(dead))
      if (def->use_empty() && isa<ConstantOp, TransposeOp>(def))
        def->erase();
    return success();
  }
};

} // namespace
