//===- TfmTraits.h - op traits of the tfm dialect ---------------*- C++ -*-===//

#ifndef TFM_DIALECT_TFM_TFMTRAITS_H
#define TFM_DIALECT_TFM_TFMTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace mlir::tfm {

/// True when two lists of tensor types have equal element types and ranks,
/// and shapes that agree wherever both dimensions are static.
bool areCompatibleTensorTypes(TypeRange lhs, TypeRange rhs);

namespace detail {
/// Reports, citing constraint `resultConstraint`, result types of `op` that
/// are incompatible with `inferred`.
LogicalResult verifyResultTypes(Operation *op, TypeRange inferred,
                                unsigned resultConstraint);
/// Reports results of `op` whose tensor types tfm cannot hold
/// (checkTensorSize).
LogicalResult verifyTensorSizes(Operation *op);
} // namespace detail

/// Every tfm op: its results are tensors whose element counts and byte
/// sizes fit in 64-bit arithmetic and in the address space, so that no
/// later size computation (folders, memory planning, the runtime's
/// descriptors) can wrap around.
template <typename ConcreteType>
class TensorSizesFit : public OpTrait::TraitBase<ConcreteType, TensorSizesFit> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifyTensorSizes(op);
  }
};

/// Verifies an op with inferred result types: its type inference runs with
/// diagnostics (each violated constraint reports its own label), then the
/// declared result types are checked against the inferred ones under
/// constraint `ResultConstraint`.
template <unsigned ResultConstraint> struct VerifyInferredTypes {
  template <typename ConcreteType>
  class Impl : public OpTrait::TraitBase<ConcreteType, Impl> {
  public:
    static LogicalResult verifyTrait(Operation *op) {
      SmallVector<Type, 1> inferred;
      auto concrete = cast<ConcreteType>(op);
      if (failed(ConcreteType::inferReturnTypes(
              op->getContext(), op->getLoc(),
              typename ConcreteType::Adaptor(concrete), inferred)))
        return failure();
      return detail::verifyResultTypes(op, inferred, ResultConstraint);
    }
  };
};

} // namespace mlir::tfm

#endif // TFM_DIALECT_TFM_TFMTRAITS_H
