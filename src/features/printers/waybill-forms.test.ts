import { describe, expect, it } from 'vitest';
import { fileToBase64, rangeInput, rangeSize } from './waybill-forms.ts';

describe('rangeInput', () => {
  it('turns a typed range into start/end and keeps leading zeros as a width', () => {
    expect(rangeInput({ prefix: 'SF', from: '1000000', to: '1000999' })).toEqual({ ok: true, value: { prefix: 'SF', start: 1000000, end: 1000999, width: 7 } });
    expect(rangeInput({ prefix: '', from: '000100', to: '199' })).toEqual({ ok: true, value: { prefix: '', start: 100, end: 199, width: 6 } });
    expect(rangeInput({ prefix: ' YT ', from: '5', to: '12' })).toEqual({ ok: true, value: { prefix: 'YT', start: 5, end: 12 } });
  });
  it('names the wrong field', () => {
    expect(rangeInput({ prefix: 'S-F', from: '1', to: '2' })).toEqual({ ok: false, problem: 'prefix' });
    expect(rangeInput({ prefix: '', from: '1a', to: '2' })).toEqual({ ok: false, problem: 'from' });
    expect(rangeInput({ prefix: '', from: '1', to: '' })).toEqual({ ok: false, problem: 'to' });
    expect(rangeInput({ prefix: '', from: '10', to: '9' })).toEqual({ ok: false, problem: 'order' });
  });
  it('counts the numbers a range makes', () => {
    expect(rangeSize({ prefix: 'SF', from: '1000000', to: '1000999' })).toBe(1000);
    expect(rangeSize({ prefix: '', from: '7', to: '7' })).toBe(1);
    expect(rangeSize({ prefix: '', from: '9', to: '7' })).toBe(0);
  });
});

describe('fileToBase64', () => {
  it('encodes bytes exactly, also past the chunk size', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(await fileToBase64(new Blob([bytes]))).toBe(Buffer.from(bytes).toString('base64'));
    expect(await fileToBase64(new Blob(['运单号\nSF123456\n']))).toBe(Buffer.from('运单号\nSF123456\n').toString('base64'));
  });
});
