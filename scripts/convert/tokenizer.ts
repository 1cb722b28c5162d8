/**
 * Tokenizer files for transformers.js, made from a checkpoint's sentencepiece `tokenizer.model`.
 *
 * `tokenizer.json` reproduces sentencepiece's BPE segmentation with Hugging Face's BPE model (Llama legacy
 * layout): the normalizer adds the "▁" dummy prefix and escapes spaces, there is no pre-tokenizer (sentencepiece
 * segments the whole normalized text as one sequence), merges are ranked by the merged piece's score, characters
 * outside the vocabulary fall back to byte pieces, and the post-processor adds BOS.
 */
import { STOP_TOKEN_IDS } from '../../src/lib/agent/template.ts';
import { parseSentencePieceModel, SentencePieceModelError, type SentencePiece } from './sentencepiece-model.ts';

const SPACE_SYMBOL = '\u2581';

export function sentencepieceToTokenizerJson(model: Uint8Array, source = 'tokenizer.model'): object {
  const sp = parseSentencePieceModel(model, source);
  const refuse = (problem: string): never => {
    throw new SentencePieceModelError(source, problem);
  };
  const { trainerSpec: trainer, normalizerSpec: norm, pieces } = sp;

  if (trainer.modelType !== 'bpe') {
    refuse(
      `it is a ${trainer.modelType} model; only BPE models (the Llama family) can be converted, ` +
        `because transformers.js must segment exactly as sentencepiece does`,
    );
  }
  if (trainer.treatWhitespaceAsSuffix) refuse('treat_whitespace_as_suffix is set, which this converter does not handle');
  if (norm.precompiledCharsmapBytes > 0) {
    refuse(
      `its normalizer ("${norm.name}") rewrites characters with a precompiled_charsmap of ${norm.precompiledCharsmapBytes} bytes; ` +
        `only models without character normalization (Llama's "identity") are supported`,
    );
  }
  if (norm.removeExtraWhitespaces) {
    // transformers.js's Prepend normalizer also prefixes text that stripping left empty, so whitespace-only
    // input would get a "▁" that sentencepiece does not produce.
    refuse('normalizer_spec.remove_extra_whitespaces is set, which transformers.js cannot reproduce exactly');
  }
  const unsupported = pieces.findIndex((p) => p.type === 'user-defined' || p.type === 'unused');
  if (unsupported >= 0) {
    refuse(`piece ${unsupported} (${JSON.stringify(pieces[unsupported].piece)}) is ${pieces[unsupported].type}, which this converter does not handle`);
  }

  const vocab: Record<string, number> = Object.create(null);
  pieces.forEach((p, id) => {
    if (p.piece in vocab) refuse(`piece ${id} (${JSON.stringify(p.piece)}) repeats piece ${vocab[p.piece]}`);
    vocab[p.piece] = id;
  });

  const special = (id: number, role: string, types: SentencePiece['type'][]): SentencePiece | null => {
    if (id < 0) return null;
    const p = pieces[id] ?? refuse(`trainer_spec.${role}_id ${id} is outside the ${pieces.length} pieces`);
    if (!types.includes(p.type)) refuse(`${role} piece ${id} (${JSON.stringify(p.piece)}) has type ${p.type}`);
    return p;
  };
  const unk = special(trainer.unkId, 'unk', ['unknown']) ?? refuse('it has no unk piece');
  const bos = special(trainer.bosId, 'bos', ['control']);
  special(trainer.eosId, 'eos', ['control']);

  if (trainer.byteFallback) {
    for (let b = 0; b < 256; b++) {
      const name = bytePiece(b);
      if (pieces[vocab[name]]?.type !== 'byte') refuse(`byte_fallback is on but byte piece ${name} is missing`);
    }
  }

  const normalizers: object[] = [];
  if (norm.addDummyPrefix) normalizers.push({ type: 'Prepend', prepend: SPACE_SYMBOL });
  if (norm.escapeWhitespaces) normalizers.push({ type: 'Replace', pattern: { String: ' ' }, content: SPACE_SYMBOL });

  const decoders: object[] = [];
  if (norm.escapeWhitespaces) decoders.push({ type: 'Replace', pattern: { String: SPACE_SYMBOL }, content: ' ' });
  if (trainer.byteFallback) decoders.push({ type: 'ByteFallback' });
  decoders.push({ type: 'Fuse' });
  if (norm.addDummyPrefix) decoders.push({ type: 'Strip', content: ' ', start: 1, stop: 0 });

  const addedTokens = pieces.flatMap((p, id) =>
    p.type === 'unknown' || p.type === 'control'
      ? [{ id, content: p.piece, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }]
      : [],
  );

  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: normalizers.length === 0 ? null : { type: 'Sequence', normalizers },
    pre_tokenizer: null,
    post_processor: bos ? bosPostProcessor(bos.piece, trainer.bosId) : null,
    decoder: { type: 'Sequence', decoders },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: unk.piece,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: trainer.byteFallback,
      ignore_merges: false,
      vocab,
      merges: bpeMerges(pieces, vocab),
    },
  };
}

function bytePiece(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
}

/**
 * Every way to build a normal piece from two normal pieces, ranked so that Hugging Face's BPE (lowest rank first,
 * leftmost on a tie of the same pair) merges in the order sentencepiece does (highest merged-piece score first,
 * leftmost on a tie). Pieces of equal score cannot share a rank; for those (in Llama-2: the runs of "▁", all at
 * -1e9) longer left parts go first, which reproduces sentencepiece's left-to-right growth of such runs.
 */
function bpeMerges(pieces: SentencePiece[], vocab: Record<string, number>): [string, string][] {
  const mergeable = (piece: string): boolean => {
    const id = vocab[piece];
    return id !== undefined && pieces[id].type === 'normal';
  };
  const candidates: { left: string; right: string; score: number; leftLen: number; rightLen: number; id: number }[] = [];
  pieces.forEach((p, id) => {
    if (p.type !== 'normal') return;
    const chars = Array.from(p.piece);
    for (let i = 1; i < chars.length; i++) {
      const left = chars.slice(0, i).join('');
      const right = chars.slice(i).join('');
      if (mergeable(left) && mergeable(right)) {
        candidates.push({ left, right, score: p.score, leftLen: i, rightLen: chars.length - i, id });
      }
    }
  });
  candidates.sort(
    (a, b) =>
      b.score - a.score ||
      b.leftLen - a.leftLen ||
      b.rightLen - a.rightLen ||
      a.id - b.id ||
      vocab[a.left] - vocab[b.left],
  );
  return candidates.map((c) => [c.left, c.right]);
}

function bosPostProcessor(bos: string, bosId: number): object {
  return {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [
      { SpecialToken: { id: bos, type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: bos, type_id: 1 } },
      { Sequence: { id: 'B', type_id: 1 } },
    ],
    special_tokens: { [bos]: { id: bos, ids: [bosId], tokens: [bos] } },
  };
}

/** tokenizer_config.json for transformers.js (Llama-2 special tokens, legacy segmentation, BOS but no EOS). */
export function tokenizerConfigJson(opts: { chatTemplate: string | null; modelMaxLength: number }): object {
  return {
    tokenizer_class: 'LlamaTokenizer',
    add_bos_token: true,
    add_eos_token: false,
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: null,
    legacy: true,
    clean_up_tokenization_spaces: false,
    model_max_length: opts.modelMaxLength,
    ...(opts.chatTemplate === null ? {} : { chat_template: opts.chatTemplate }),
  };
}

/** generation_config.json: Agent-FLAN also stops on U+0D3F, the end of its assistant turn. */
export function generationConfigJson(opts: { agentFlan: boolean }): object {
  return {
    bos_token_id: 1,
    eos_token_id: opts.agentFlan ? [...STOP_TOKEN_IDS] : 2,
    pad_token_id: 0,
  };
}
