//===- ConstantFoldingTest.cpp - folding helpers of tfm ops ---------------===//

#include "ConstantFolding.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tfm::detail;
using llvm::APFloat;
using llvm::APInt;

namespace {

class ConstantFoldingTest : public ::testing::Test {
protected:
  MLIRContext context;
  Builder b{&context};

  RankedTensorType tensor(ArrayRef<int64_t> shape, Type element) {
    return RankedTensorType::get(shape, element);
  }
  DenseElementsAttr f32s(ArrayRef<int64_t> shape, ArrayRef<float> values) {
    return DenseElementsAttr::get(tensor(shape, b.getF32Type()), values);
  }
  DenseElementsAttr i64s(ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
    return DenseElementsAttr::get(tensor(shape, b.getI64Type()), values);
  }
  static SmallVector<float> floats(DenseElementsAttr attr) {
    return llvm::to_vector(attr.getValues<float>());
  }
};

TEST_F(ConstantFoldingTest, StridesAreRowMajor) {
  EXPECT_EQ(computeStrides({2, 3, 4}), (SmallVector<int64_t>{12, 4, 1}));
  EXPECT_EQ(computeStrides({}), (SmallVector<int64_t>{}));
}

TEST_F(ConstantFoldingTest, BroadcastIndicesRepeatSizeOneDimensions) {
  // [2,1] broadcast to [2,3]: each row repeats its single element.
  EXPECT_EQ(broadcastIndices({2, 1}, {2, 3}),
            (SmallVector<int64_t>{0, 0, 0, 1, 1, 1}));
  // [3] broadcast to [2,3]: the row repeats.
  EXPECT_EQ(broadcastIndices({3}, {2, 3}),
            (SmallVector<int64_t>{0, 1, 2, 0, 1, 2}));
}

TEST_F(ConstantFoldingTest, ElementwiseFoldBroadcasts) {
  auto add = [](ArrayRef<APFloat> a) { return a[0] + a[1]; };
  DenseElementsAttr r =
      foldElementwise({f32s({2, 2}, {1, 2, 3, 4}), f32s({2}, {10, 20})},
                      tensor({2, 2}, b.getF32Type()), {add, nullptr});
  ASSERT_TRUE(r);
  EXPECT_EQ(floats(r), (SmallVector<float>{11, 22, 13, 24}));
}

TEST_F(ConstantFoldingTest, ElementwiseFoldOfSplatsStaysSplat) {
  auto mul = [](ArrayRef<APFloat> a) { return a[0] * a[1]; };
  Type f32 = b.getF32Type();
  DenseElementsAttr r =
      foldElementwise({DenseElementsAttr::get(tensor({512, 512}, f32), 3.0f),
                       DenseElementsAttr::get(tensor({512}, f32), 2.0f)},
                      tensor({512, 512}, f32), {mul, nullptr});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r.isSplat());
  EXPECT_EQ(r.getSplatValue<float>(), 6.0f);
}

TEST_F(ConstantFoldingTest, ElementwiseFoldRespectsSizeLimit) {
  auto add = [](ArrayRef<APFloat> a) { return a[0] + a[1]; };
  Type f32 = b.getF32Type();
  // Distinct values: a constant of equal ones would be stored as a splat.
  SmallVector<float> big;
  for (int64_t i = 0; i <= kMaxFoldedElements; ++i)
    big.push_back(static_cast<float>(i));
  auto shape = tensor({kMaxFoldedElements + 1}, f32);
  DenseElementsAttr r =
      foldElementwise({DenseElementsAttr::get(shape, ArrayRef<float>(big)),
                       DenseElementsAttr::get(tensor({1}, f32), 1.0f)},
                      shape, {add, nullptr});
  EXPECT_FALSE(r);
}

TEST_F(ConstantFoldingTest, IntegerKernelCanRefuse) {
  auto div = [](ArrayRef<APInt> a, bool) -> std::optional<APInt> {
    if (a[1].isZero())
      return std::nullopt;
    return a[0].sdiv(a[1]);
  };
  RankedTensorType type = tensor({2}, b.getI64Type());
  EXPECT_TRUE(foldElementwise({i64s({2}, {7, -7}), i64s({2}, {2, 2})}, type,
                              {nullptr, div}));
  EXPECT_FALSE(foldElementwise({i64s({2}, {7, -7}), i64s({2}, {2, 0})}, type,
                               {nullptr, div}));
  DenseElementsAttr r = foldElementwise({i64s({2}, {7, -7}), i64s({2}, {2, 2})},
                                        type, {nullptr, div});
  EXPECT_EQ(llvm::to_vector(r.getValues<int64_t>()),
            (SmallVector<int64_t>{3, -3}));
}

TEST_F(ConstantFoldingTest, CastTruncatesTowardZero) {
  DenseElementsAttr r = foldCast(f32s({4}, {1.7f, -1.7f, 0.0f, 3.0f}),
                                 tensor({4}, b.getI32Type()));
  ASSERT_TRUE(r);
  EXPECT_EQ(llvm::to_vector(r.getValues<int32_t>()),
            (SmallVector<int32_t>{1, -1, 0, 3}));
}

TEST_F(ConstantFoldingTest, CastLeavesOutOfRangeToRunTime) {
  EXPECT_FALSE(foldCast(f32s({1}, {1e20f}), tensor({1}, b.getI32Type())));
  EXPECT_FALSE(foldCast(f32s({1}, {-1.0f}),
                        tensor({1}, b.getIntegerType(8, /*isSigned=*/false))));
}

TEST_F(ConstantFoldingTest, CastToAndFromBool) {
  DenseElementsAttr toBool =
      foldCast(f32s({3}, {0.0f, 2.5f, -1.0f}), tensor({3}, b.getI1Type()));
  ASSERT_TRUE(toBool);
  EXPECT_EQ(llvm::to_vector(toBool.getValues<bool>()),
            (SmallVector<bool>{false, true, true}));
  // true becomes 1, not the sign-extended -1.
  DenseElementsAttr fromBool = foldCast(toBool, tensor({3}, b.getI64Type()));
  ASSERT_TRUE(fromBool);
  EXPECT_EQ(llvm::to_vector(fromBool.getValues<int64_t>()),
            (SmallVector<int64_t>{0, 1, 1}));
}

TEST_F(ConstantFoldingTest, CastFromUnsignedZeroExtends) {
  Type ui8 = b.getIntegerType(8, /*isSigned=*/false);
  auto source = DenseElementsAttr::get(tensor({1}, ui8), APInt(8, 200));
  DenseElementsAttr r = foldCast(source, tensor({1}, b.getF32Type()));
  ASSERT_TRUE(r);
  EXPECT_EQ(floats(r), (SmallVector<float>{200.0f}));
  EXPECT_EQ(getIntElement(source, 0), 200);
}

TEST_F(ConstantFoldingTest, PickElementsFromSeveralSources) {
  DenseElementsAttr r =
      pickElements({f32s({2}, {1, 2}), f32s({2}, {3, 4})},
                   tensor({3}, b.getF32Type()), {{1, 1}, {0, 0}, {1, 0}});
  EXPECT_EQ(floats(r), (SmallVector<float>{4, 1, 3}));
}

TEST_F(ConstantFoldingTest, PickElementsHandlesPackedBooleansAndHalves) {
  auto bools = DenseElementsAttr::get(tensor({3}, b.getI1Type()),
                                      ArrayRef<bool>{true, false, true});
  DenseElementsAttr r =
      pickElements(bools, tensor({4}, b.getI1Type()), {2, 1, 0, 1});
  EXPECT_EQ(llvm::to_vector(r.getValues<bool>()),
            (SmallVector<bool>{true, false, true, false}));

  Type f16 = b.getF16Type();
  SmallVector<APFloat> halves;
  for (double v : {0.5, 1.5, 2.5})
    halves.push_back(APFloat(v));
  for (APFloat &h : halves) {
    bool losesInfo;
    h.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &losesInfo);
  }
  auto source = DenseElementsAttr::get(tensor({3}, f16), halves);
  DenseElementsAttr picked = pickElements(source, tensor({2}, f16), {2, 0});
  auto values = llvm::to_vector(picked.getValues<APFloat>());
  EXPECT_EQ(values[0].convertToDouble(), 2.5);
  EXPECT_EQ(values[1].convertToDouble(), 0.5);
}

} // namespace
