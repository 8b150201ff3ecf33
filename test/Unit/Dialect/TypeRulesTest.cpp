//===- TypeRulesTest.cpp - shape rules of tfm ops -------------------------===//

#include "TypeRules.h"

#include "tfm/Dialect/Tfm/TfmOps.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tfm;
using namespace mlir::tfm::detail;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

SmallVector<int64_t> broadcast(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  FailureOr<SmallVector<int64_t>> r = broadcastShapes({a, b});
  EXPECT_TRUE(succeeded(r));
  return succeeded(r) ? *r : SmallVector<int64_t>();
}

TEST(BroadcastShapes, AlignsTrailingDimensions) {
  EXPECT_EQ(broadcast({2, 1, 8}, {4, 8}), (SmallVector<int64_t>{2, 4, 8}));
  EXPECT_EQ(broadcast({}, {3, 5}), (SmallVector<int64_t>{3, 5}));
  EXPECT_EQ(broadcast({1}, {1}), (SmallVector<int64_t>{1}));
}

TEST(BroadcastShapes, RejectsMismatchedStaticDimensions) {
  EXPECT_TRUE(failed(broadcastShapes({{2, 3}, {4}})));
  EXPECT_TRUE(failed(broadcastShapes({{2, 3}, {3}, {5, 3, 1}})));
  EXPECT_TRUE(succeeded(broadcastShapes({{2, 3}, {3}, {5, 1, 1}})));
}

TEST(BroadcastShapes, DynamicDimensions) {
  // A static size > 1 wins over a dynamic one, which must match it.
  EXPECT_EQ(broadcast({kDyn, 8}, {4, 8}), (SmallVector<int64_t>{4, 8}));
  EXPECT_EQ(broadcast({4, 8}, {kDyn, 8}), (SmallVector<int64_t>{4, 8}));
  // Against 1 or another dynamic size it stays dynamic.
  EXPECT_EQ(broadcast({kDyn, 8}, {1, 8}), (SmallVector<int64_t>{kDyn, 8}));
  EXPECT_EQ(broadcast({kDyn}, {kDyn}), (SmallVector<int64_t>{kDyn}));
}

TEST(BroadcastsTo, RequiresOnesOrEqualSizes) {
  EXPECT_TRUE(broadcastsTo({1, 8}, {4, 8}));
  EXPECT_TRUE(broadcastsTo({8}, {2, 4, 8}));
  EXPECT_TRUE(broadcastsTo({kDyn, 8}, {4, 8}));
  EXPECT_FALSE(broadcastsTo({2, 8}, {4, 8}));
  EXPECT_FALSE(broadcastsTo({1, 4, 8}, {4, 8}));
}

TEST(AxisLists, MustBeStrictlyIncreasingAndInRange) {
  EXPECT_TRUE(isValidAxisList({0, 2}, 3));
  EXPECT_FALSE(isValidAxisList({}, 3));
  EXPECT_FALSE(isValidAxisList({2, 1}, 3));
  EXPECT_FALSE(isValidAxisList({1, 1}, 3));
  EXPECT_FALSE(isValidAxisList({3}, 3));
  EXPECT_FALSE(isValidAxisList({-1}, 3));
}

TEST(Permutations, MustCoverEveryDimensionOnce) {
  EXPECT_TRUE(isPermutation({0, 2, 1, 3}, 4));
  EXPECT_TRUE(isPermutation({}, 0));
  EXPECT_FALSE(isPermutation({0, 0, 1}, 3));
  EXPECT_FALSE(isPermutation({0, 1}, 3));
  EXPECT_FALSE(isPermutation({0, 3, 1}, 3));
}

TEST(CompatibleTypes, DynamicDimensionsMatchAnything) {
  MLIRContext context;
  Type f32 = Float32Type::get(&context);
  auto t = [&](ArrayRef<int64_t> shape, Type element) -> Type {
    return RankedTensorType::get(shape, element);
  };
  EXPECT_TRUE(areCompatibleTensorTypes(t({2, 8}, f32), t({kDyn, 8}, f32)));
  EXPECT_TRUE(areCompatibleTensorTypes(t({kDyn, 8}, f32), t({2, 8}, f32)));
  EXPECT_FALSE(areCompatibleTensorTypes(t({2, 8}, f32), t({3, 8}, f32)));
  EXPECT_FALSE(areCompatibleTensorTypes(t({2, 8}, f32), t({2, 8, 1}, f32)));
  EXPECT_FALSE(areCompatibleTensorTypes(t({2, 8}, f32),
                                        t({2, 8}, Float16Type::get(&context))));
}

TEST(FormatShape, PrintsDynamicAsQuestionMark) {
  EXPECT_EQ(formatShape({1, kDyn, 768}), "[1, ?, 768]");
  EXPECT_EQ(formatShape({}), "[]");
}

} // namespace
