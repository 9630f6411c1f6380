/**
 * mathjs exports each function's factory (`createAbs`, `createParse`, ...) at run time, but its
 * type declarations do not list them. These are the factories the formula parser is built from
 * (src/scenario/formula.ts).
 */
import type { FactoryFunction } from 'mathjs';

declare module 'mathjs' {
  const createAbs: FactoryFunction<unknown>;
  const createAccessorNode: FactoryFunction<unknown>;
  const createAdd: FactoryFunction<unknown>;
  const createAddScalar: FactoryFunction<unknown>;
  const createArrayNode: FactoryFunction<unknown>;
  const createAssignmentNode: FactoryFunction<unknown>;
  const createBigNumberClass: FactoryFunction<unknown>;
  const createBignumber: FactoryFunction<unknown>;
  const createBlockNode: FactoryFunction<unknown>;
  const createComplexClass: FactoryFunction<unknown>;
  const createConcat: FactoryFunction<unknown>;
  const createConditionalNode: FactoryFunction<unknown>;
  const createConj: FactoryFunction<unknown>;
  const createConstantNode: FactoryFunction<unknown>;
  const createDenseMatrixClass: FactoryFunction<unknown>;
  const createDet: FactoryFunction<unknown>;
  const createDivide: FactoryFunction<unknown>;
  const createDivideScalar: FactoryFunction<unknown>;
  const createDot: FactoryFunction<unknown>;
  const createEqual: FactoryFunction<unknown>;
  const createEqualScalar: FactoryFunction<unknown>;
  const createExp: FactoryFunction<unknown>;
  const createFraction: FactoryFunction<unknown>;
  const createFractionClass: FactoryFunction<unknown>;
  const createFunctionAssignmentNode: FactoryFunction<unknown>;
  const createFunctionNode: FactoryFunction<unknown>;
  const createIdentity: FactoryFunction<unknown>;
  const createIndexNode: FactoryFunction<unknown>;
  const createInv: FactoryFunction<unknown>;
  const createIsBounded: FactoryFunction<unknown>;
  const createIsInteger: FactoryFunction<unknown>;
  const createIsNaN: FactoryFunction<unknown>;
  const createIsZero: FactoryFunction<unknown>;
  const createLarger: FactoryFunction<unknown>;
  const createLog: FactoryFunction<unknown>;
  const createMatrix: FactoryFunction<unknown>;
  const createMatrixClass: FactoryFunction<unknown>;
  const createMax: FactoryFunction<unknown>;
  const createMin: FactoryFunction<unknown>;
  const createMultiply: FactoryFunction<unknown>;
  const createMultiplyScalar: FactoryFunction<unknown>;
  const createNode: FactoryFunction<unknown>;
  const createNumber: FactoryFunction<unknown>;
  const createNumeric: FactoryFunction<unknown>;
  const createObjectNode: FactoryFunction<unknown>;
  const createOperatorNode: FactoryFunction<unknown>;
  const createParenthesisNode: FactoryFunction<unknown>;
  const createParse: FactoryFunction<unknown>;
  const createPow: FactoryFunction<unknown>;
  const createRangeNode: FactoryFunction<unknown>;
  const createRelationalNode: FactoryFunction<unknown>;
  const createResultSet: FactoryFunction<unknown>;
  const createSize: FactoryFunction<unknown>;
  const createSmaller: FactoryFunction<unknown>;
  const createSparseMatrixClass: FactoryFunction<unknown>;
  const createSqrt: FactoryFunction<unknown>;
  const createSubset: FactoryFunction<unknown>;
  const createSubtract: FactoryFunction<unknown>;
  const createSubtractScalar: FactoryFunction<unknown>;
  const createSymbolNode: FactoryFunction<unknown>;
  const createTypeOf: FactoryFunction<unknown>;
  const createTyped: FactoryFunction<unknown>;
  const createUnaryMinus: FactoryFunction<unknown>;
  const createUnaryPlus: FactoryFunction<unknown>;
  const createZeros: FactoryFunction<unknown>;
}
