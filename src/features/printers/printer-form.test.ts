import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiCallError } from '../../api/api-error.ts';
import { emptyPrinterForm, formErrorsOf, formFromDiscovered, printerInput, toggleDocument, uriKindOf } from './printer-form.ts';
import { statusBadge } from './use-printer-status.ts';

describe('uriKindOf', () => {
  it('recognises the scheme being typed, case-insensitively, and nothing else', () => {
    expect(uriKindOf('tcp://192.168.1.50:9100')).toBe('tcp');
    expect(uriKindOf(' USB:/dev/usb/lp0')).toBe('usb');
    expect(uriKindOf('cups:LABEL')).toBe('cups');
    expect(uriKindOf('spooler:GP-1324D(USB)')).toBe('spooler');
    expect(uriKindOf('folder:/home/me/labels')).toBe('folder');
    expect(uriKindOf('192.168.1.50')).toBeNull();
    expect(uriKindOf('http://x')).toBeNull();
    expect(uriKindOf('')).toBeNull();
  });
});

describe('printerInput', () => {
  const values = { name: ' 打包台 1 ', uri: ' tcp://10.0.0.5:9100 ', lang: 'tspl' as const, dpi: 203, documents: ['waybill' as const] };
  it('sends the whole form, trimmed, when adding', () => {
    expect(printerInput(values)).toEqual({ name: '打包台 1', uri: 'tcp://10.0.0.5:9100', lang: 'tspl', dpi: 203, documents: ['waybill'] });
  });
  it('sends only what changed when editing', () => {
    const before = { name: '打包台 1', uri: 'tcp://10.0.0.5:9100', lang: 'tspl' as const, dpi: 203, documents: ['waybill' as const] };
    expect(printerInput(values, before)).toEqual({});
    expect(printerInput({ ...values, dpi: 300, documents: ['waybill', 'pick_list'] }, before)).toEqual({ dpi: 300, documents: ['waybill', 'pick_list'] });
  });
});

describe('toggleDocument', () => {
  it('adds and removes while keeping the order 面单, 拣货单, 发货单', () => {
    expect(toggleDocument(['packing_slip'], 'waybill')).toEqual(['waybill', 'packing_slip']);
    expect(toggleDocument(['waybill', 'packing_slip'], 'waybill')).toEqual(['packing_slip']);
    expect(toggleDocument([], 'pick_list')).toEqual(['pick_list']);
  });
});

describe('formFromDiscovered', () => {
  it('pre-fills name and address, and assigns a label printer to waybills by default', () => {
    expect(formFromDiscovered({ name: 'LABEL_RAW', uri: 'cups:LABEL_RAW' })).toEqual({ ...emptyPrinterForm, name: 'LABEL_RAW', uri: 'cups:LABEL_RAW' });
  });
  it('keeps a suggested language and DPI when valid, and does not send waybills to a PDF queue', () => {
    const f = formFromDiscovered({ name: 'PDF', uri: 'cups:PDF', lang: 'pdf', dpi: 300 });
    expect(f.lang).toBe('pdf');
    expect(f.dpi).toBe(300);
    expect(f.documents).not.toContain('waybill');
    expect(formFromDiscovered({ name: 'x', uri: 'usb:/dev/usb/lp0', lang: 'bogus', dpi: 600 })).toMatchObject({ lang: 'tspl', dpi: 203 });
  });
  it('cuts a long device name to the 40 characters a printer name may have', () => {
    expect(formFromDiscovered({ name: 'n'.repeat(60), uri: 'cups:Q' }).name).toHaveLength(40);
  });
});

describe('formErrorsOf', () => {
  it('keys validation issues by the field name, also when nested under patch', () => {
    const err = new ApiCallError('printers.update', {
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: { issues: [{ path: ['patch', 'uri'], message: '地址无效' }, { path: ['patch', 'uri'], message: 'second' }, { path: ['name'], message: '请填写打印机名称' }] },
    });
    expect(formErrorsOf(err)).toEqual({ uri: '地址无效', name: '请填写打印机名称' });
  });
  it('puts a core refusal naming its field under that field, and a name conflict under the name', () => {
    expect(formErrorsOf(new ApiCallError('printers.add', { code: 'VALIDATION_FAILED', message: 'USB 打印机地址应写完整路径', details: { field: 'uri' } }))).toEqual({ uri: 'USB 打印机地址应写完整路径' });
    expect(formErrorsOf(new ApiCallError('printers.add', { code: 'CONFLICT', message: '已有名为「A」的打印机' }))).toEqual({ name: '已有名为「A」的打印机' });
    // With a reason and the dialog's t, the words are the user's language, not the core's English.
    const taken = new ApiCallError('printers.add', { code: 'CONFLICT', reason: 'printer.name_taken', message: 'A printer named "A" already exists', details: { name: 'A' } });
    const t = ((key: string, o: { name?: string; defaultValue?: string }) => (key === 'reasons.printer.name_taken' ? `已有名为「${o.name}」的打印机` : o.defaultValue)) as unknown as TFunction;
    expect(formErrorsOf(taken, t)).toEqual({ name: '已有名为「A」的打印机' });
    expect(formErrorsOf(taken)).toEqual({ name: 'A printer named "A" already exists' });
  });
  it('is null for errors that are not about fields', () => {
    expect(formErrorsOf(new ApiCallError('printers.add', { code: 'FORBIDDEN', message: 'no' }))).toBeNull();
    expect(formErrorsOf(new Error('boom'))).toBeNull();
  });
});

describe('statusBadge', () => {
  it('shows paused first, then the printer’s own answer, and unreachable as danger', () => {
    expect(statusBadge({ kind: 'status', ready: true, printing: false, problems: [], words: '就绪' }, true)).toEqual({ tone: 'warning', words: null });
    expect(statusBadge(undefined, false)).toEqual({ tone: 'muted', words: null });
    expect(statusBadge('checking', false)).toEqual({ tone: 'muted', words: null });
    expect(statusBadge({ kind: 'status', ready: true, printing: false, problems: [], words: '就绪' }, false)).toEqual({ tone: 'success', words: '就绪' });
    expect(statusBadge({ kind: 'status', ready: false, printing: false, problems: ['paper_out'], words: '缺纸' }, false)).toEqual({ tone: 'danger', words: '缺纸' });
    expect(statusBadge({ kind: 'one_way', ready: null, printing: false, problems: [], words: '只能发送' }, false).tone).toBe('muted');
    expect(statusBadge({ kind: 'unreachable', ready: null, printing: false, problems: ['refused'], words: '连接被拒绝' }, false)).toEqual({ tone: 'danger', words: '连接被拒绝' });
  });
});
