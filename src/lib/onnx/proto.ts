/**
 * A minimal writer for the parts of the ONNX protobuf schema (onnx.proto3) a decoder graph needs.
 * Field numbers are ONNX's; every weight is stored as external data, so messages stay small.
 */

export const TensorType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
export type TensorTypeId = (typeof TensorType)[keyof typeof TensorType];

class Pb {
  private parts: Uint8Array[] = [];
  private tag(field: number, wire: number): void {
    this.rawVarint(BigInt((field << 3) | wire));
  }
  private rawVarint(v: bigint): void {
    if (v < 0n) v += 1n << 64n;
    const bytes: number[] = [];
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) b |= 0x80;
      bytes.push(b);
    } while (v > 0n);
    this.parts.push(Uint8Array.from(bytes));
  }
  int(field: number, v: number | bigint): this {
    this.tag(field, 0);
    this.rawVarint(BigInt(v));
    return this;
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.parts.push(b);
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(BigInt(b.byteLength));
    this.parts.push(b);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb): this {
    return this.bytes(field, m.finish());
  }
  finish(): Uint8Array {
    const len = this.parts.reduce((a, p) => a + p.byteLength, 0);
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  }
}

export type AttrValue = number | string | number[] | { float: number };

export interface OnnxNode {
  opType: string;
  domain?: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrValue>;
}

export interface ValueInfo {
  name: string;
  type: TensorTypeId;
  /** Numbers are fixed sizes, strings are symbolic (dim_param). */
  shape: (number | string)[];
}

export interface ExternalLocation {
  location: string;
  offset: number;
  length: number;
}

export interface Initializer {
  name: string;
  type: TensorTypeId;
  dims: number[];
  /** Either stored in the .onnx itself (tiny constants) or in an external data file. */
  data: Uint8Array | ExternalLocation;
}

export interface OnnxModel {
  graphName: string;
  nodes: OnnxNode[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Initializer[];
  opsets: { domain: string; version: number }[];
  producer: string;
}

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

function attribute(name: string, v: AttrValue): Pb {
  const a = new Pb().string(1, name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer; use { float } for floats`);
    a.int(3, v).int(20, AttrType.INT);
  } else if (typeof v === 'string') a.string(4, v).int(20, AttrType.STRING);
  else if (Array.isArray(v)) {
    for (const x of v) a.int(8, x);
    a.int(20, AttrType.INTS);
  } else a.float(2, v.float).int(20, AttrType.FLOAT);
  return a;
}

function valueInfo(v: ValueInfo): Pb {
  const shape = new Pb();
  for (const d of v.shape) shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().string(2, d));
  const tensorType = new Pb().int(1, v.type).msg(2, shape);
  return new Pb().string(1, v.name).msg(2, new Pb().msg(1, tensorType));
}

function tensor(t: Initializer): Pb {
  const p = new Pb();
  for (const d of t.dims) p.int(1, d);
  p.int(2, t.type).string(8, t.name);
  if (t.data instanceof Uint8Array) p.bytes(9, t.data);
  else {
    const kv = (k: string, v: string) => new Pb().string(1, k).string(2, v);
    p.msg(13, kv('location', t.data.location));
    p.msg(13, kv('offset', String(t.data.offset)));
    p.msg(13, kv('length', String(t.data.length)));
    p.int(14, 1);
  }
  return p;
}

export function encodeModel(m: OnnxModel): Uint8Array {
  const g = new Pb();
  for (const n of m.nodes) {
    const node = new Pb();
    for (const i of n.inputs) node.string(1, i);
    for (const o of n.outputs) node.string(2, o);
    node.string(3, n.name).string(4, n.opType);
    for (const [k, v] of Object.entries(n.attrs ?? {})) node.msg(5, attribute(k, v));
    if (n.domain) node.string(7, n.domain);
    g.msg(1, node);
  }
  g.string(2, m.graphName);
  for (const t of m.initializers) g.msg(5, tensor(t));
  for (const v of m.inputs) g.msg(11, valueInfo(v));
  for (const v of m.outputs) g.msg(12, valueInfo(v));
  const model = new Pb().int(1, 8);
  for (const o of m.opsets) model.msg(8, new Pb().string(1, o.domain).int(2, o.version));
  model.string(2, m.producer).msg(7, g);
  return model.finish();
}
