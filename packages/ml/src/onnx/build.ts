import { messageField, stringField, varintField, type Field } from './protobuf.ts'

// A tiny ONNX model written directly (onnx/onnx.proto field numbers), so that onnxruntime's
// optimised matrix product can serve as the BLAS for blockwise similarity.

const ONNX_FLOAT = 1
const ONNX_INT64 = 7
const ATTRIBUTE_INT = 2

type Dim = number | string

function valueInfo(name: string, elemType: number, dims: readonly Dim[]): Field {
  const shape = dims.map((d) =>
    messageField(1, [typeof d === 'number' ? varintField(1, d) : stringField(2, d)]),
  )
  const tensorType = messageField(1, [varintField(1, elemType), messageField(2, shape)])
  return messageField(0, [stringField(1, name), messageField(2, [tensorType])])
}

const as = (number: number, f: Field): Field => ({ ...f, number })

function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  ints: Record<string, number> = {},
): Field {
  return messageField(1, [
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, `${op}_${outputs[0]}`),
    stringField(4, op),
    ...Object.entries(ints).map(([name, i]) =>
      messageField(5, [stringField(1, name), varintField(3, i), varintField(20, ATTRIBUTE_INT)]),
    ),
  ])
}

/**
 * `pairs = NonZero(Gemm(a, b, transB=1) > t)`: for a block of rows `a` [m, d] and a block
 * `b` [k, d], the (row, column) indices of every dot product above `t` (a [1] tensor), as a
 * [2, count] int64 tensor. Opset 13.
 */
export function pairsAboveModel(dimensions: number): Uint8Array {
  const graph = [
    node('Gemm', ['a', 'b'], ['dots'], { transB: 1 }),
    node('Greater', ['dots', 't'], ['above']),
    node('NonZero', ['above'], ['pairs']),
    stringField(2, 'pairs_above'),
    as(11, valueInfo('a', ONNX_FLOAT, ['m', dimensions])),
    as(11, valueInfo('b', ONNX_FLOAT, ['k', dimensions])),
    as(11, valueInfo('t', ONNX_FLOAT, [1])),
    as(12, valueInfo('pairs', ONNX_INT64, [2, 'count'])),
  ]
  const model = messageField(0, [
    varintField(1, 8), // ir_version 8
    stringField(2, 'cxr-audit'),
    messageField(8, [stringField(1, ''), varintField(2, 13)]), // opset_import: ai.onnx 13
    messageField(7, graph),
  ])
  return model.bytes!
}
