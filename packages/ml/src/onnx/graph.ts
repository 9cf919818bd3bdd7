import {
  fieldString,
  messageField,
  packedInt32,
  readFields,
  stringField,
  writeFields,
  WIRE_LEN,
  type Field,
} from './protobuf.ts'

// Field numbers of onnx/onnx.proto (stable since IR version 3).
const MODEL_GRAPH = 7
const GRAPH_NODE = 1
const GRAPH_INITIALIZER = 5
const GRAPH_INPUT = 11
const GRAPH_OUTPUT = 12
const NODE_OUTPUT = 2
const VALUE_INFO_NAME = 1
const TENSOR_DIMS = 1
const TENSOR_DATA_TYPE = 2
const TENSOR_FLOAT_DATA = 4
const TENSOR_INT32_DATA = 5
const TENSOR_NAME = 8
const TENSOR_RAW_DATA = 9

/** TensorProto.DataType values this package reads. */
export const ONNX_FLOAT = 1
export const ONNX_UINT8 = 2
export const ONNX_INT8 = 3

export class OnnxGraphError extends Error {
  override readonly name = 'OnnxGraphError'
}

/** A constant tensor of the graph (an initializer), decoded to numbers. */
export interface Initializer {
  readonly name: string
  readonly dataType: number
  readonly dims: readonly number[]
  readonly values: Float32Array | Int32Array
}

/** The names in a model's main graph: enough to check a manifest and to add outputs. */
export interface GraphNames {
  /** Graph inputs that are not initializers: what a caller feeds. */
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  /** Every tensor some node produces (intermediate tensors included). */
  readonly produced: ReadonlySet<string>
  readonly initializers: ReadonlySet<string>
}

function graphOf(model: Uint8Array): { fields: Field[]; graph: Field[] } {
  const fields = readFields(model)
  const graph = fields.find((f) => f.number === MODEL_GRAPH && f.wire === WIRE_LEN)
  if (graph?.bytes === undefined) throw new OnnxGraphError('the ONNX model has no graph')
  return { fields, graph: readFields(graph.bytes) }
}

const stringOf = (fields: Field[], number: number): string | undefined => {
  const f = fields.find((x) => x.number === number && x.wire === WIRE_LEN)
  return f === undefined ? undefined : fieldString(f)
}

/** Reads the input, output, node-output and initializer names of a model's main graph. */
export function graphNames(model: Uint8Array): GraphNames {
  const { graph } = graphOf(model)
  const initializers = new Set<string>()
  const produced = new Set<string>()
  const inputs: string[] = []
  const outputs: string[] = []
  for (const f of graph) {
    if (f.wire !== WIRE_LEN || f.bytes === undefined) continue
    if (f.number === GRAPH_NODE) {
      for (const n of readFields(f.bytes))
        if (n.number === NODE_OUTPUT) produced.add(fieldString(n))
    } else if (f.number === GRAPH_INITIALIZER) {
      const name = stringOf(readFields(f.bytes), TENSOR_NAME)
      if (name !== undefined) initializers.add(name)
    } else if (f.number === GRAPH_INPUT || f.number === GRAPH_OUTPUT) {
      const name = stringOf(readFields(f.bytes), VALUE_INFO_NAME) ?? ''
      ;(f.number === GRAPH_INPUT ? inputs : outputs).push(name)
    }
  }
  return { inputs: inputs.filter((n) => !initializers.has(n)), outputs, produced, initializers }
}

/**
 * A copy of the model whose main graph also outputs the named intermediate tensors
 * (onnxruntime returns only graph outputs). Only a ValueInfoProto holding the name is appended:
 * the runtime infers type and shape from the node that produces the tensor. Nodes and weights
 * keep their bytes, so the existing outputs compute exactly as before.
 */
export function withGraphOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const { fields, graph } = graphOf(model)
  const known = graphNames(model)
  const extra = names.filter((n) => !known.outputs.includes(n))
  for (const n of extra) {
    if (!known.produced.has(n)) {
      throw new OnnxGraphError(`no node of the graph produces a tensor named "${n}"`)
    }
  }
  if (extra.length === 0) return model
  const added = extra.map((n) => messageField(GRAPH_OUTPUT, [stringField(VALUE_INFO_NAME, n)]))
  const newGraph = messageField(MODEL_GRAPH, [...graph, ...added])
  return writeFields(fields.map((f) => (f.number === MODEL_GRAPH ? newGraph : f)))
}

function fromRaw(raw: Uint8Array, dataType: number, count: number): Float32Array | Int32Array {
  if (raw.length < count * (dataType === ONNX_FLOAT ? 4 : 1)) {
    throw new OnnxGraphError(`raw data of ${raw.length} bytes is too short for ${count} values`)
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  if (dataType === ONNX_FLOAT) {
    const out = new Float32Array(count)
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true)
    return out
  }
  const out = new Int32Array(count)
  for (let i = 0; i < count; i++)
    out[i] = dataType === ONNX_INT8 ? view.getInt8(i) : view.getUint8(i)
  return out
}

/** float_data: packed (one LEN field of little-endian floats) or one I32 field per value. */
function floatData(fields: Field[]): Float32Array {
  const parts = fields.filter((x) => x.number === TENSOR_FLOAT_DATA)
  const values: number[] = []
  for (const p of parts) {
    const b = p.bytes ?? new Uint8Array()
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
    for (let at = 0; at + 4 <= b.length; at += 4) values.push(view.getFloat32(at, true))
  }
  return Float32Array.from(values)
}

/** int32_data (also holds uint8/int8 values): packed varints or one varint per value. */
function int32Data(fields: Field[]): Int32Array {
  const values: number[] = []
  for (const p of fields.filter((x) => x.number === TENSOR_INT32_DATA)) {
    if (p.wire === WIRE_LEN) values.push(...packedInt32(p.bytes ?? new Uint8Array()))
    else values.push(p.int32 ?? 0)
  }
  return Int32Array.from(values)
}

/**
 * Reads an initializer of type float, uint8 or int8, stored as raw_data, float_data or
 * int32_data (all three are allowed by onnx.proto's TensorProto). Throws OnnxGraphError when it
 * is missing, of another type, or holds the wrong number of values.
 */
export function readInitializer(model: Uint8Array, name: string): Initializer {
  const { graph } = graphOf(model)
  for (const f of graph) {
    if (f.number !== GRAPH_INITIALIZER || f.bytes === undefined) continue
    const t = readFields(f.bytes)
    if (stringOf(t, TENSOR_NAME) !== name) continue
    const dataType = t.find((x) => x.number === TENSOR_DATA_TYPE)?.value ?? 0
    if (dataType !== ONNX_FLOAT && dataType !== ONNX_UINT8 && dataType !== ONNX_INT8) {
      throw new OnnxGraphError(
        `initializer "${name}" has data type ${dataType}, not float, uint8 or int8`,
      )
    }
    const dims = t
      .filter((x) => x.number === TENSOR_DIMS)
      .flatMap((x) => (x.wire === WIRE_LEN ? packedInt32(x.bytes!) : [x.value ?? 0]))
    const count = dims.reduce((n, d) => n * d, 1)
    const raw = t.find((x) => x.number === TENSOR_RAW_DATA)?.bytes
    const values =
      raw !== undefined
        ? fromRaw(raw, dataType, count)
        : dataType === ONNX_FLOAT
          ? floatData(t)
          : int32Data(t)
    if (values.length !== count) {
      throw new OnnxGraphError(
        `initializer "${name}" holds ${values.length} values, expected ${count}`,
      )
    }
    return { name, dataType, dims, values }
  }
  throw new OnnxGraphError(`the graph has no initializer named "${name}"`)
}
