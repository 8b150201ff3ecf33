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
// channels scored by ||W1[c, :]|| · ||W2[:, c]||. Structured head pruning
// removes attention heads the same way from a merged QKV linear (the Q, K
// and V rows of head h) and the output linear (its columns), the heads
// scored by ||W_v rows of h|| · ||W_o columns of h||; with grouped queries
// a key/value head goes with all the query heads that read it. A decoder's
// key/value cache (function arguments and results) loses the heads too.
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
#include <limits>
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
  return allUsesThroughTranspose(constant, [](OpOperand &use) {
    return isa<LinearOp, MatmulOp>(use.getOwner()) &&
           use.getOperandNumber() == 1;
  });
}

/// A score that orders: NaN (a NaN weight) as the largest, never pruned
/// first (the sorts need a strict weak order).
double orderable(double score) {
  return std::isnan(score) ? std::numeric_limits<double>::infinity() : score;
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

/// A constant of the chosen rows and columns of the [N, K] weight of
/// `source`, in the [N, K] layout, of shape `shape` (default
/// [rows.size(), cols.size()]).
FailureOr<Value> pickWeight(OpBuilder &builder, const WeightSource &source,
                            int64_t n, int64_t k, ArrayRef<int64_t> rows,
                            ArrayRef<int64_t> cols,
                            std::optional<SmallVector<int64_t>> shape = {}) {
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
  if (!shape)
    shape = SmallVector<int64_t>{static_cast<int64_t>(rows.size()),
                                 static_cast<int64_t>(cols.size())};
  auto pickedType = RankedTensorType::get(*shape, type.getElementType());
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
    } else if (method == PruningMethod::Heads) {
      if (failed(pruneHeads()))
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
          s = orderable(std::sqrt(s / count));
      } else {
        w->scores.resize(w->rows.size());
        for (auto [s, v] : llvm::zip_equal(w->scores, w->rows))
          s = orderable(std::fabs(v));
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

  /// A linear feeding the next one (`first`'s result, possibly through a
  /// per-channel op, is all `second` reads), both with constant weights
  /// only they read: the two weights as [N, K] rows and `first`'s bias.
  struct LinearPair {
    LinearOp first, second;
    WeightSource firstSource, secondSource;
    int64_t n1 = 0, k1 = 0, n2 = 0, k2 = 0;
    SmallVector<float> rows1, rows2;
    std::optional<Attribute> bias;
  };

  /// The pair of `first` and `second`; none (counted as skipped where
  /// only sharing or `exclude` stops it) when it is not one.
  std::optional<LinearPair> getLinearPair(LinearOp first, LinearOp second) {
    if (first.hasPackedWeight() || second.hasPackedWeight() ||
        first.getResidual())
      return std::nullopt;
    std::optional<WeightSource> firstSource =
        getConstantWeight(first.getWeight(), false);
    std::optional<WeightSource> secondSource =
        getConstantWeight(second.getWeight(), false);
    if (!firstSource || !secondSource)
      return std::nullopt;
    auto isPrivate = [](const WeightSource &source, Operation *user) {
      return allUsesThroughTranspose(source.constant, [&](OpOperand &use) {
        return use.getOwner() == user;
      });
    };
    if (!isPrivate(*firstSource, first) || !isPrivate(*secondSource, second) ||
        isExcluded(first, firstSource->value) ||
        isExcluded(second, secondSource->value)) {
      ++numSkipped;
      return std::nullopt;
    }
    LinearPair pair{first, second, *firstSource, *secondSource};
    FailureOr<SmallVector<float>> rows1 =
        getWeightRows(*firstSource, pair.n1, pair.k1);
    FailureOr<SmallVector<float>> rows2 =
        getWeightRows(*secondSource, pair.n2, pair.k2);
    if (failed(rows1) || failed(rows2))
      return std::nullopt;
    pair.rows1 = std::move(*rows1);
    pair.rows2 = std::move(*rows2);
    if (Value bias = first.getBias()) {
      Attribute value;
      auto type = dyn_cast<RankedTensorType>(bias.getType());
      if (!type || type.getRank() != 1 || type.getDimSize(0) != pair.n1 ||
          !matchPattern(bias, m_Constant(&value)) ||
          llvm::any_of(bias.getUsers(),
                       [&](Operation *other) { return other != first; }))
        return std::nullopt;
      pair.bias = value;
    }
    return pair;
  }

  /// L2 norm of rows [row, row + count) of `pair`'s first weight.
  static double firstRowsNorm(const LinearPair &pair, int64_t row,
                              int64_t count) {
    double sum = 0;
    for (float v :
         ArrayRef<float>(pair.rows1).slice(row * pair.k1, count * pair.k1))
      sum += double(v) * v;
    return std::sqrt(sum);
  }

  /// L2 norm of columns [col, col + count) of `pair`'s second weight.
  static double secondColumnsNorm(const LinearPair &pair, int64_t col,
                                  int64_t count) {
    double sum = 0;
    for (int64_t r = 0; r < pair.n2; ++r)
      for (int64_t c = col; c < col + count; ++c)
        sum +=
            double(pair.rows2[r * pair.k2 + c]) * pair.rows2[r * pair.k2 + c];
    return std::sqrt(sum);
  }

  /// The units to keep of `scores.size()` units: all but the `sparsity`
  /// fraction of lowest score (at least one kept), in order; all of them
  /// when none would go.
  SmallVector<int64_t> keptUnits(SmallVector<double> scores) {
    for (double &score : scores)
      score = orderable(score);
    int64_t units = scores.size();
    int64_t removed =
        std::min<int64_t>(static_cast<int64_t>(sparsity * units), units - 1);
    SmallVector<int64_t> order(units);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return scores[a] < scores[b];
    });
    SmallVector<int64_t> kept(order.begin() + std::max<int64_t>(removed, 0),
                              order.end());
    llvm::sort(kept);
    return kept;
  }

  /// Keeps rows `rows1` of the first weight and bias of `pair` and columns
  /// `cols2` of the second weight; the old constants go to `dead`.
  LogicalResult shrinkPair(OpBuilder &builder, LinearPair &pair,
                           ArrayRef<int64_t> rows1, ArrayRef<int64_t> cols2,
                           llvm::SetVector<Operation *> &dead) {
    SmallVector<int64_t> allCols1(pair.k1), allRows2(pair.n2);
    std::iota(allCols1.begin(), allCols1.end(), 0);
    std::iota(allRows2.begin(), allRows2.end(), 0);
    builder.setInsertionPoint(pair.first);
    FailureOr<Value> first = pickWeight(builder, pair.firstSource, pair.n1,
                                        pair.k1, rows1, allCols1);
    FailureOr<Value> second = pickWeight(builder, pair.secondSource, pair.n2,
                                         pair.k2, allRows2, cols2);
    if (failed(first) || failed(second))
      return pair.first.emitError("tfm-prune: the weight bytes are not "
                                  "available (an elided constant?)");
    Value bias;
    if (pair.bias) {
      // The [N] bias as an [N, 1] matrix.
      WeightSource source{pair.first.getBias(), *pair.bias, false};
      FailureOr<Value> picked =
          pickWeight(builder, source, pair.n1, 1, rows1, {0},
                     SmallVector<int64_t>{static_cast<int64_t>(rows1.size())});
      if (failed(picked))
        return pair.first.emitError("tfm-prune: the bias bytes are not "
                                    "available (an elided constant?)");
      bias = *picked;
    }
    for (Value old : {pair.first.getWeight(), pair.second.getWeight(),
                      pair.first.getBias()})
      if (old)
        if (Operation *def = old.getDefiningOp())
          dead.insert(def);
    pair.first.getWeightMutable().assign(*first);
    if (bias)
      pair.first.getBiasMutable().assign(bias);
    pair.second.getWeightMutable().assign(*second);
    resizeLast(pair.first.getResult(), rows1.size());
    return success();
  }

  /// Sets the last dimension of `value`'s type to `size`.
  static void resizeLast(Value value, int64_t size) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = size;
    value.setType(type.clone(shape));
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
      if (!up || !hidden.hasOneUse() || (swiglu && !upResult.hasOneUse()))
        continue;
      std::optional<LinearPair> pair = getLinearPair(up, down);
      int64_t channels = pair ? pair->k2 : 0;
      if (!pair || pair->n1 != (swiglu ? 2 * channels : channels))
        continue;
      // Channel scores: ||W1 rows|| · ||W2 column||.
      SmallVector<double> scores(channels);
      for (int64_t ch = 0; ch < channels; ++ch) {
        scores[ch] =
            firstRowsNorm(*pair, ch, 1) * secondColumnsNorm(*pair, ch, 1);
        if (swiglu)
          scores[ch] *= firstRowsNorm(*pair, channels + ch, 1);
      }
      SmallVector<int64_t> kept = keptUnits(scores);
      if (static_cast<int64_t>(kept.size()) == channels)
        continue;
      SmallVector<int64_t> upKept(kept);
      if (swiglu)
        for (int64_t ch : kept)
          upKept.push_back(channels + ch);
      if (failed(shrinkPair(builder, *pair, upKept, kept, dead)))
        return failure();
      if (swiglu)
        resizeLast(swiglu.getResult(), kept.size());
      ++numFfns;
      if (report)
        emitRemark(up.getLoc())
            << "pruned the FFN of '" << describe(pair->firstSource.value)
            << "' from " << channels << " to " << kept.size() << " channels";
    }
    eraseUnusedWeightOps(dead);
    return success();
  }

  /// A value whose dimension `dim` counts heads: `perHead` elements of each
  /// query head, or of each key/value head (`kv`).
  struct HeadDim {
    Value value;
    int64_t dim;
    int64_t perHead;
    bool kv;
  };

  /// The rank-3 `[B, S, H * D]` value that `operand` splits into its
  /// `heads` heads as `transpose(reshape(x) : [B, S, H, D], [0, 2, 1, 3])`,
  /// each op read by `uses` ops (the transpose) or one (the reshape);
  /// records both. Null otherwise.
  static Value unsplitHeads(Value operand, int64_t heads, unsigned uses,
                            SmallVectorImpl<HeadDim> &dims, bool kv) {
    auto transpose = operand.getDefiningOp<TransposeOp>();
    if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3} ||
        !llvm::hasNItems(operand.getUses(), uses))
      return nullptr;
    auto reshape = transpose.getInput().getDefiningOp<ReshapeOp>();
    if (!reshape || !reshape.getResult().hasOneUse())
      return nullptr;
    auto type = cast<RankedTensorType>(reshape.getInput().getType());
    RankedTensorType split = reshape.getType();
    if (type.getRank() != 3 || split.getRank() != 4 ||
        split.getDimSize(0) != type.getDimSize(0) ||
        split.getDimSize(1) != type.getDimSize(1) ||
        split.getDimSize(2) != heads ||
        split.getDimSize(2) * split.getDimSize(3) != type.getDimSize(2))
      return nullptr;
    dims.push_back({reshape.getResult(), 2, 1, kv});
    dims.push_back({transpose.getResult(), 1, 1, kv});
    return reshape.getInput();
  }

  /// Whether the cache operand `past` (with heads in dimension 1) is a
  /// function argument that only `attention` and the present read, where
  /// the present, which the function returns, is the new `rows` (possibly
  /// cast to the cache's type) either alone (tfm-present-new-rows) or
  /// concatenated to `past` along the sequence; records the values.
  static bool isPrunableCache(Value past, Value rows, AttentionOp attention,
                              SmallVectorImpl<HeadDim> &dims) {
    auto argument = dyn_cast<BlockArgument>(past);
    if (!argument || !isa<func::FuncOp>(argument.getOwner()->getParentOp()))
      return false;
    auto isReturned = [](Value value) {
      return llvm::all_of(value.getUsers(), [](Operation *op) {
        return isa<func::ReturnOp>(op);
      });
    };
    SmallVector<Operation *> rowUsers;
    for (Operation *user : rows.getUsers())
      if (user != attention)
        rowUsers.push_back(user);
    if (rowUsers.size() != 1)
      return false;
    Operation *next = rowUsers.front();
    Value present = rows;
    if (auto cast = dyn_cast<CastOp>(next)) {
      present = cast.getResult();
      if (!present.hasOneUse())
        return false;
      dims.push_back({present, 1, 1, /*kv=*/true});
      next = *present.getUsers().begin();
    }
    auto concat = dyn_cast<ConcatOp>(next);
    if (concat) {
      if (concat.getAxis() != 2 || concat->getNumOperands() != 2 ||
          concat->getOperand(0) != past || concat->getOperand(1) != present ||
          !isReturned(concat.getResult()))
        return false;
      dims.push_back({concat.getResult(), 1, 1, /*kv=*/true});
    } else if (!isa<func::ReturnOp>(next)) {
      return false;
    }
    if (!llvm::all_of(past.getUsers(), [&](Operation *op) {
          return op == attention || op == concat;
        }))
      return false;
    dims.push_back({past, 1, 1, /*kv=*/true});
    return true;
  }

  /// Structured pruning of attention heads: a merged QKV linear split in
  /// three (the queries and keys possibly through `tfm.rope`), attention,
  /// and the output linear. Attention takes the three either as
  /// `[B, S, H * D]` without a cache, or split into heads, `[B, H, S, D]`,
  /// with or without a cache: function arguments (past) and the present
  /// the function returns (the new keys and values, alone or concatenated
  /// to the past), as decoder exports have them; the cache loses the
  /// pruned heads too. With grouped queries the unit is a group: a key/value
  /// head with the query heads that read it.
  LogicalResult pruneHeads() {
    SmallVector<AttentionOp> attentions;
    getOperation().walk([&](AttentionOp op) { attentions.push_back(op); });
    OpBuilder builder(&getContext());
    llvm::SetVector<Operation *> dead;
    bool signatureChanged = false;
    for (AttentionOp attention : attentions) {
      int64_t heads = attention.getNumHeads();
      int64_t kvHeads = attention.getNumKvHeads();
      auto queryType = cast<RankedTensorType>(attention.getQuery().getType());
      bool headsSplit = queryType.getRank() == 4;
      if ((queryType.getRank() != 3 && !headsSplit) || kvHeads <= 0 ||
          heads % kvHeads != 0 || !attention->hasOneUse())
        continue;
      int64_t group = heads / kvHeads;
      // A mask with a dimension of heads would need its own pruning.
      if (Value mask = attention.getMask()) {
        auto maskType = cast<RankedTensorType>(mask.getType());
        if (maskType.getRank() == 4 && maskType.getDimSize(1) != 1)
          continue;
      }
      SmallVector<HeadDim> dims;
      Value query = attention.getQuery(), key = attention.getKey(),
            value = attention.getValue();
      Value pastKey = attention.getPastKey(),
            pastValue = attention.getPastValue();
      if (headsSplit) {
        // The new keys and values also feed the present's concatenations.
        unsigned cacheUses = pastKey ? 2 : 1;
        query = unsplitHeads(query, heads, 1, dims, /*kv=*/false);
        key = unsplitHeads(key, kvHeads, cacheUses, dims, /*kv=*/true);
        value = unsplitHeads(value, kvHeads, cacheUses, dims, /*kv=*/true);
        if (!query || !key || !value)
          continue;
        if (pastKey &&
            (!isPrunableCache(pastKey, attention.getKey(), attention, dims) ||
             !isPrunableCache(pastValue, attention.getValue(), attention,
                              dims)))
          continue;
      } else if (pastKey) {
        continue;
      }
      auto keyType = cast<RankedTensorType>(key.getType());
      auto rank3QueryType = cast<RankedTensorType>(query.getType());
      // The queries and keys, each a result of the split or its rotation
      // (read by nothing else).
      auto throughRope = [](Value operand) -> std::pair<Value, RopeOp> {
        auto rope = operand.getDefiningOp<RopeOp>();
        if (!rope || !operand.hasOneUse())
          return {operand, RopeOp()};
        return {rope.getInput(), rope};
      };
      auto [queryPart, queryRope] = throughRope(query);
      auto [keyPart, keyRope] = throughRope(key);
      auto split = queryPart.getDefiningOp<SplitOp>();
      if (!split || split->getNumResults() != 3 ||
          queryPart != split->getResult(0) || keyPart != split->getResult(1) ||
          value != split->getResult(2) || split.getAxis() != 2 ||
          llvm::any_of(split->getResults(),
                       [](Value v) { return !v.hasOneUse(); }))
        continue;
      // The output linear, through the merge of the heads when split.
      Value attended = attention.getResult();
      if (headsSplit) {
        auto transpose = dyn_cast<TransposeOp>(*attended.getUsers().begin());
        if (!transpose ||
            transpose.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3} ||
            !transpose.getResult().hasOneUse())
          continue;
        auto merge = dyn_cast<ReshapeOp>(*transpose->getUsers().begin());
        if (!merge || merge.getType().getRank() != 3 ||
            !merge.getResult().hasOneUse())
          continue;
        dims.push_back({attended, 1, 1, /*kv=*/false});
        dims.push_back({transpose.getResult(), 2, 1, /*kv=*/false});
        attended = merge.getResult();
      }
      auto qkv = split.getInput().getDefiningOp<LinearOp>();
      auto out = dyn_cast<LinearOp>(*attended.getUsers().begin());
      if (!qkv || !out || out.getInput() != attended ||
          !split.getInput().hasOneUse())
        continue;
      int64_t width = rank3QueryType.getDimSize(2);
      int64_t kvWidth = keyType.getDimSize(2);
      if (ShapedType::isDynamic(width) || ShapedType::isDynamic(kvWidth) ||
          width % heads != 0 || kvWidth * heads != width * kvHeads ||
          split->getResult(0).getType() != rank3QueryType ||
          split->getResult(1).getType() != keyType ||
          split->getResult(2).getType() != keyType)
        continue;
      // The rotations' heads follow the pruning (a rank-3 rope's count).
      if ((queryRope && queryRope.getNumHeads() != heads) ||
          (keyRope && keyRope.getNumHeads() != kvHeads))
        continue;
      std::optional<LinearPair> pair = getLinearPair(qkv, out);
      if (!pair || pair->n1 != width + 2 * kvWidth || pair->k2 != width)
        continue;
      // Group scores: ||its value rows|| · ||its query heads' output
      // columns||.
      int64_t size = width / heads;
      SmallVector<double> scores(kvHeads);
      for (int64_t g = 0; g < kvHeads; ++g)
        scores[g] = firstRowsNorm(*pair, width + kvWidth + g * size, size) *
                    secondColumnsNorm(*pair, g * group * size, group * size);
      SmallVector<int64_t> kept = keptUnits(scores);
      if (static_cast<int64_t>(kept.size()) == kvHeads)
        continue;
      SmallVector<int64_t> rows, cols;
      for (int64_t g : kept)
        for (int64_t i = 0; i < group * size; ++i)
          rows.push_back(g * group * size + i);
      for (int64_t base : {width, width + kvWidth})
        for (int64_t g : kept)
          for (int64_t i = 0; i < size; ++i)
            rows.push_back(base + g * size + i);
      for (int64_t g : kept)
        for (int64_t i = 0; i < group * size; ++i)
          cols.push_back(g * group * size + i);
      // (The head size, and with it the default scale, stays.)
      if (failed(shrinkPair(builder, *pair, rows, cols, dead)))
        return failure();
      int64_t keptHeads = kept.size() * group;
      // The rank-3 values carry each head's D features.
      dims.push_back({split->getResult(0), 2, size, /*kv=*/false});
      dims.push_back({split->getResult(1), 2, size, /*kv=*/true});
      dims.push_back({split->getResult(2), 2, size, /*kv=*/true});
      if (queryRope) {
        dims.push_back({queryRope.getResult(), 2, size, /*kv=*/false});
        queryRope.setNumHeads(keptHeads);
      }
      if (keyRope) {
        dims.push_back({keyRope.getResult(), 2, size, /*kv=*/true});
        keyRope.setNumHeads(kept.size());
      }
      dims.push_back({attended, 2, size, /*kv=*/false});
      for (HeadDim &dim : dims) {
        auto type = cast<RankedTensorType>(dim.value.getType());
        SmallVector<int64_t> shape(type.getShape());
        shape[dim.dim] = (dim.kv ? kept.size() : keptHeads) * dim.perHead;
        dim.value.setType(type.clone(shape));
      }
      signatureChanged |= static_cast<bool>(pastKey);
      attention.setNumHeads(keptHeads);
      attention.setNumKvHeads(kept.size());
      ++numAttentions;
      if (report) {
        InFlightDiagnostic remark =
            emitRemark(attention.getLoc())
            << "pruned the attention of '" << describe(pair->firstSource.value)
            << "' from " << heads << " to " << keptHeads << " heads";
        if (group > 1)
          remark << " (" << kvHeads << " to " << kept.size()
                 << " key/value heads)";
        if (pastKey)
          remark << " and its cache";
      }
    }
    eraseUnusedWeightOps(dead);
    // The cache's arguments and results lost heads.
    if (signatureChanged) {
      func::FuncOp func = getOperation();
      auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
      func.setType(FunctionType::get(&getContext(),
                                     func.getBody().getArgumentTypes(),
                                     ret.getOperandTypes()));
    }
    return success();
  }
};

} // namespace
