/**
 * A minimal unpickler for PyTorch checkpoints: the opcodes torch.save emits (protocol 2, plus the protocol 4
 * framing ops), with globals resolved through a caller-supplied table instead of importing anything.
 */

export class PickleGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The result of calling a global the resolver did not know how to build; kept so callers can report it. */
export class PickleCall {
  constructor(readonly fn: PickleGlobal, readonly args: unknown[]) {}
}

export interface PickleHooks {
  /** Called for REDUCE / NEWOBJ on a global. */
  call(fn: PickleGlobal, args: unknown[]): unknown;
  /** Called for BINPERSID. */
  persistentLoad(pid: unknown): unknown;
}

const MARK = Symbol('mark');

export function unpickle(data: Uint8Array, hooks: PickleHooks, source = 'data.pkl'): unknown {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const text = new TextDecoder();
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let p = 0;
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg} at byte ${p}`);
  };
  const u8 = () => (p < data.length ? data[p++] : fail('unexpected end of pickle'));
  const u16 = () => ((p += 2), view.getUint16(p - 2, true));
  const u32 = () => ((p += 4), view.getUint32(p - 4, true));
  const bytes = (n: number) => (p + n > data.length ? fail('unexpected end of pickle') : data.subarray(p, (p += n)));
  const line = () => {
    const end = data.indexOf(10, p);
    if (end < 0) fail('unterminated line');
    const s = text.decode(data.subarray(p, end));
    p = end + 1;
    return s;
  };
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('MARK missing');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const top = () => stack[stack.length - 1];
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    for (let i = 0; i < items.length; i += 2) (target as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const call = (fn: unknown, args: unknown) => {
    if (!(fn instanceof PickleGlobal)) fail('REDUCE on something that is not a global');
    return hooks.call(fn as PickleGlobal, args as unknown[]);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        bytes(8);
        break;
      case 0x2e: // STOP
        return stack.pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(((p += 4), view.getInt32(p - 4, true)));
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        stack.push(((p += 8), view.getFloat64(p - 8, false)));
        break;
      case 0x58: // BINUNICODE
        stack.push(text.decode(bytes(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text.decode(bytes(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text.decode(bytes(Number(((p += 8), view.getBigUint64(p - 8, true))))));
        break;
      case 0x54: // BINSTRING
        stack.push(new TextDecoder('latin1').decode(bytes(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(new TextDecoder('latin1').decode(bytes(u8())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(bytes(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(bytes(u32()));
        break;
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(new PickleGlobal(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = stack.pop() as string;
        stack.push(new PickleGlobal(stack.pop() as string, name));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) fail(`memo ${i} missing`);
        stack.push(memo.get(i));
        break;
      }
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([stack.pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = stack.pop();
        stack.push([stack.pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = stack.pop();
        const b = stack.pop();
        stack.push([stack.pop(), b, c]);
        break;
      }
      case 0x61: {
        // APPEND
        const v = stack.pop();
        (top() as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        (top() as unknown[]).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = stack.pop();
        const k = stack.pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = stack.pop();
        stack.push(call(stack.pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = stack.pop();
        stack.push(call(stack.pop(), args));
        break;
      }
      case 0x62: // BUILD: state on an object; state dicts' _metadata is not needed
        stack.pop();
        break;
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(stack.pop()));
        break;
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16)}`);
    }
  }
}
