import { describe, expect, test } from 'vitest';
import { sentenceCase } from '../../src/lib/util/format';
import { missingModelMessage } from '../../src/lib/ui/models/model-guide';

describe('display text', () => {
  test('task titles read as sentences: the first letter capitalised, the rest kept', () => {
    expect(sentenceCase('his nickname is "jimmy," but what is his full name?')).toBe('His nickname is "jimmy," but what is his full name?');
    expect(sentenceCase('"quoted" first')).toBe('"Quoted" first');
    expect(sentenceCase('Count .helloworld files')).toBe('Count .helloworld files');
    expect(sentenceCase('42')).toBe('42');
  });
  test('?model= naming a model the origin lacks says which it has, and for Agent-FLAN-7B how to get it', () => {
    const models = [{ id: 'tiny-random-agent-flan', label: 'Tiny' }];
    expect(missingModelMessage('agent-flan-7b', models, 'https://h/models/')).toMatch(/no model "agent-flan-7b" \(it serves tiny-random-agent-flan\)\. Agent-FLAN-7B is not redistributed.*\?models=/);
    expect(missingModelMessage('other', [], 'https://h/models/')).toBe('The model origin https://h/models/ has no model "other" (it lists no model).');
  });
});
