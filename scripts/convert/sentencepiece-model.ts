/**
 * A minimal reader for sentencepiece's `ModelProto` (the `tokenizer.model` file): the pieces and the few
 * trainer/normalizer settings that decide how text is segmented. Field numbers follow
 * google/sentencepiece `src/sentencepiece_model.proto`; everything else in the file is skipped.
 */

export type PieceType = 'normal' | 'unknown' | 'control' | 'user-defined' | 'unused' | 'byte';
export type ModelType = 'unigram' | 'bpe' | 'word' | 'char';

export interface SentencePiece {
  piece: string;
  score: number;
  type: PieceType;
}

export interface TrainerSpec {
  modelType: ModelType;
  byteFallback: boolean;
  treatWhitespaceAsSuffix: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
}

export interface NormalizerSpec {
  name: string;
  /** Byte length of the precompiled normalization rules; 0 means no character normalization. */
  precompiledCharsmapBytes: number;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface SentencePieceModel {
  pieces: SentencePiece[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
}

const PIECE_TYPES: Record<number, PieceType> = {
  1: 'normal',
  2: 'unknown',
  3: 'control',
  4: 'user-defined',
  5: 'unused',
  6: 'byte',
};
const MODEL_TYPES: Record<number, ModelType> = { 1: 'unigram', 2: 'bpe', 3: 'word', 4: 'char' };

// Proto defaults of the fields read here.
const DEFAULT_TRAINER_SPEC: TrainerSpec = {
  modelType: 'unigram',
  byteFallback: false,
  treatWhitespaceAsSuffix: false,
  unkId: 0,
  bosId: 1,
  eosId: 2,
  padId: -1,
};
const DEFAULT_NORMALIZER_SPEC: NormalizerSpec = {
  name: '',
  precompiledCharsmapBytes: 0,
  addDummyPrefix: true,
  removeExtraWhitespaces: true,
  escapeWhitespaces: true,
};

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

export class SentencePieceModelError extends Error {
  constructor(source: string, problem: string) {
    super(`${source} is not a usable sentencepiece model: ${problem}`);
    this.name = 'SentencePieceModelError';
  }
}

/** Reads protobuf fields from one message's bytes; every read is bounds-checked. */
class ProtoReader {
  private pos = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly fail: (problem: string) => never,
  ) {}

  done(): boolean {
    return this.pos >= this.bytes.length;
  }

  private rawVarint(): bigint {
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail(`truncated varint at byte ${this.pos}`);
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return result;
    }
    this.fail(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** An unsigned varint (keys, lengths, enums, bools). */
  varint(): number {
    const b = this.bytes[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return b;
    }
    const v = this.rawVarint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`varint ${v} out of range at byte ${this.pos}`);
    return Number(v);
  }

  /** An int32 field: negative values are sign-extended to 64 bits on the wire. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.rawVarint()));
  }

  key(): { field: number; wire: number } {
    const k = this.varint();
    const field = Math.floor(k / 8);
    const wire = k % 8;
    if (field === 0) this.fail(`field number 0 at byte ${this.pos}`);
    return { field, wire };
  }

  bytesField(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.bytes.length) {
      this.fail(`length ${len} at byte ${this.pos} runs past the end (${this.bytes.length} bytes)`);
    }
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  float32(): number {
    if (this.pos + 4 > this.bytes.length) this.fail(`truncated float at byte ${this.pos}`);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4);
    this.pos += 4;
    return view.getFloat32(0, true);
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_BYTES:
        this.bytesField();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        this.fail(`unsupported protobuf wire type ${wire} at byte ${this.pos}`);
    }
  }

  expect(wire: number, actual: number, what: string): void {
    if (wire !== actual) this.fail(`${what} has wire type ${actual}, expected ${wire}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.bytes.length) this.fail(`truncated field at byte ${this.pos}`);
    this.pos += n;
  }
}

// ignoreBOM keeps a leading U+FEFF: Llama-2 has a piece that is exactly that character.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseSentencePieceModel(bytes: Uint8Array, source = 'tokenizer.model'): SentencePieceModel {
  const fail = (problem: string): never => {
    throw new SentencePieceModelError(source, problem);
  };
  const text = (b: Uint8Array, what: string): string => {
    try {
      return utf8.decode(b);
    } catch {
      return fail(`${what} is not valid UTF-8`);
    }
  };

  const pieces: SentencePiece[] = [];
  let trainerSpec: TrainerSpec | null = null;
  let normalizerSpec: NormalizerSpec | null = null;

  const top = new ProtoReader(bytes, fail);
  while (!top.done()) {
    const { field, wire } = top.key();
    if (field === 1) {
      top.expect(WIRE_BYTES, wire, 'a piece');
      pieces.push(readPiece(top.bytesField(), pieces.length));
    } else if (field === 2) {
      top.expect(WIRE_BYTES, wire, 'trainer_spec');
      trainerSpec = readTrainerSpec(top.bytesField(), trainerSpec ?? DEFAULT_TRAINER_SPEC);
    } else if (field === 3) {
      top.expect(WIRE_BYTES, wire, 'normalizer_spec');
      normalizerSpec = readNormalizerSpec(top.bytesField(), normalizerSpec ?? DEFAULT_NORMALIZER_SPEC);
    } else {
      top.skip(wire);
    }
  }

  if (pieces.length === 0) fail('it holds no pieces');
  if (!trainerSpec) fail('it has no trainer_spec');

  return { pieces, trainerSpec: trainerSpec!, normalizerSpec: normalizerSpec ?? DEFAULT_NORMALIZER_SPEC };

  function readPiece(b: Uint8Array, index: number): SentencePiece {
    const r = new ProtoReader(b, fail);
    let piece: string | null = null;
    let score = 0;
    let type: PieceType = 'normal';
    while (!r.done()) {
      const { field, wire } = r.key();
      if (field === 1) {
        r.expect(WIRE_BYTES, wire, `piece ${index}'s text`);
        piece = text(r.bytesField(), `piece ${index}'s text`);
      } else if (field === 2) {
        r.expect(WIRE_FIXED32, wire, `piece ${index}'s score`);
        score = r.float32();
      } else if (field === 3) {
        r.expect(WIRE_VARINT, wire, `piece ${index}'s type`);
        const t = r.varint();
        type = PIECE_TYPES[t] ?? fail(`piece ${index} has unknown type ${t}`);
      } else {
        r.skip(wire);
      }
    }
    if (!piece) fail(`piece ${index} has no text`);
    return { piece: piece!, score, type };
  }

  // A message field that occurs more than once is merged into the earlier occurrence (protobuf semantics).
  function readTrainerSpec(b: Uint8Array, base: TrainerSpec): TrainerSpec {
    const r = new ProtoReader(b, fail);
    const spec = { ...base };
    while (!r.done()) {
      const { field, wire } = r.key();
      const varint = (what: string) => (r.expect(WIRE_VARINT, wire, `trainer_spec.${what}`), r.int32());
      switch (field) {
        case 3: {
          const t = varint('model_type');
          spec.modelType = MODEL_TYPES[t] ?? fail(`trainer_spec.model_type ${t} is unknown`);
          break;
        }
        case 24:
          spec.treatWhitespaceAsSuffix = varint('treat_whitespace_as_suffix') !== 0;
          break;
        case 35:
          spec.byteFallback = varint('byte_fallback') !== 0;
          break;
        case 40:
          spec.unkId = varint('unk_id');
          break;
        case 41:
          spec.bosId = varint('bos_id');
          break;
        case 42:
          spec.eosId = varint('eos_id');
          break;
        case 43:
          spec.padId = varint('pad_id');
          break;
        default:
          r.skip(wire);
      }
    }
    return spec;
  }

  function readNormalizerSpec(b: Uint8Array, base: NormalizerSpec): NormalizerSpec {
    const r = new ProtoReader(b, fail);
    const spec = { ...base };
    while (!r.done()) {
      const { field, wire } = r.key();
      const flag = (what: string) => (r.expect(WIRE_VARINT, wire, `normalizer_spec.${what}`), r.varint() !== 0);
      switch (field) {
        case 1:
          r.expect(WIRE_BYTES, wire, 'normalizer_spec.name');
          spec.name = text(r.bytesField(), 'normalizer_spec.name');
          break;
        case 2:
          r.expect(WIRE_BYTES, wire, 'normalizer_spec.precompiled_charsmap');
          spec.precompiledCharsmapBytes = r.bytesField().length;
          break;
        case 3:
          spec.addDummyPrefix = flag('add_dummy_prefix');
          break;
        case 4:
          spec.removeExtraWhitespaces = flag('remove_extra_whitespaces');
          break;
        case 5:
          spec.escapeWhitespaces = flag('escape_whitespaces');
          break;
        default:
          r.skip(wire);
      }
    }
    return spec;
  }
}
