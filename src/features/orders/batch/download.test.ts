import { describe, expect, it } from 'vitest';
import { base64ToBytes } from './download.ts';

describe('base64ToBytes', () => {
  it('decodes binary content byte for byte', () => {
    const bytes = Uint8Array.from([0, 1, 127, 128, 200, 255, 80, 75]);
    const b64 = Buffer.from(bytes).toString('base64');
    expect([...base64ToBytes(b64)]).toEqual([...bytes]);
  });
  it('keeps UTF-8 text (Chinese headers in a CSV) intact', () => {
    const text = '\ufeff订单号,收货人\n1,张三\n';
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(base64ToBytes(Buffer.from(text, 'utf8').toString('base64')))).toBe(text);
  });
});
