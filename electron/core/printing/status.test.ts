// Status answers of the three printer languages parse into the problems an operator sees.
import { describe, expect, it } from 'vitest';
import { statusAnswer } from '../../sandbox/printing/capture-server.ts';
import { parseEscposStatus, parseStatus, parseTsplStatus, parseZplStatus, statusAnswerComplete, statusQuery } from './status.ts';

describe('status queries', () => {
  it('asks in each language', () => {
    expect(statusQuery('tspl')).toEqual(Buffer.from([0x1b, 0x21, 0x3f]));
    expect(statusQuery('escpos')).toEqual(Buffer.from([0x10, 0x04, 0x02]));
    expect(statusQuery('zpl')!.toString()).toBe('~HS');
    expect(statusQuery('pdf')).toBeNull();
  });

  it('TSPL: each bit of the status byte', () => {
    expect(parseTsplStatus(Buffer.from([0x00]))).toMatchObject({ ready: true, printing: false, problems: [] });
    expect(parseTsplStatus(Buffer.from([0x04])).problems).toEqual(['paper_out']);
    expect(parseTsplStatus(Buffer.from([0x01])).problems).toEqual(['head_open']);
    expect(parseTsplStatus(Buffer.from([0x20]))).toMatchObject({ ready: true, printing: true });
    expect(parseTsplStatus(Buffer.from([0xdf])).problems).toEqual(['head_open', 'paper_jam', 'paper_out', 'ribbon_out', 'paused', 'cover_open', 'overheat']);
  });

  it('ESC/POS DLE EOT 2: fixed bits mean nothing, paper end / cover / error do', () => {
    expect(parseEscposStatus(Buffer.from([0x12]))).toMatchObject({ ready: true, problems: [] });
    expect(parseEscposStatus(Buffer.from([0x32])).problems).toEqual(['paper_out']);
    expect(parseEscposStatus(Buffer.from([0x16])).problems).toEqual(['cover_open']);
    expect(parseEscposStatus(Buffer.from([0x52])).problems).toEqual(['printer_error']);
  });

  it('ZPL ~HS: three strings; paper out, pause, head up, labels in progress', () => {
    const ok = statusAnswer('zpl', 'ok', false);
    expect(statusAnswerComplete('zpl', ok.subarray(0, ok.length - 10))).toBe(false);
    expect(statusAnswerComplete('zpl', ok)).toBe(true);
    expect(parseZplStatus(ok)).toMatchObject({ ready: true, printing: false, problems: [] });
    expect(parseZplStatus(statusAnswer('zpl', 'paper_out', false)).problems).toEqual(['paper_out']);
    expect(parseZplStatus(statusAnswer('zpl', 'ok', true)).printing).toBe(true);
    const headUpPaused = Buffer.from('\x02030,0,1,1245,000,0,0,0,000,0,0,0\x03\r\n\x02000,0,1,1,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n', 'latin1');
    expect(parseZplStatus(headUpPaused).problems).toEqual(['paused', 'head_open', 'ribbon_out']);
    expect(parseZplStatus(Buffer.from('\x02garbage\x03', 'latin1')).problems).toContain('printer_error');
    expect(() => parseStatus('pdf', Buffer.alloc(1))).toThrow();
  });
});
