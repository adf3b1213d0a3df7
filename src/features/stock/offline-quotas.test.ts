import { describe, expect, it } from 'vitest';
import type { HubQuotaView } from '../../../electron/shared/contract.ts';
import type { HubStation } from '../../../electron/shared/hub/protocol.ts';
import { ApiCallError } from '../../api/api-error.ts';
import { editValues, hubWantsPassword, parseQuotaQuantity, quotaStations } from './offline-quotas.ts';

describe('离线配额 section', () => {
  it('takes whole numbers 0…1,000,000 only', () => {
    expect(['0', ' 12 ', '1000000'].map(parseQuotaQuantity)).toEqual([0, 12, 1_000_000]);
    expect(['', '-1', '2.5', '1e3', '1000001', '一'].map(parseQuotaQuantity)).toEqual([null, null, null, null, null, null]);
  });

  it("asks for the password only when the hub refused the station's token", () => {
    expect(hubWantsPassword(new ApiCallError('hub.setQuotas', { code: 'FORBIDDEN', message: 'x', details: { hubCode: 'FORBIDDEN' } }))).toBe(true);
    // The station's own role check, a wrong password, an unreachable hub: a password would not help.
    expect(hubWantsPassword(new ApiCallError('hub.setQuotas', { code: 'FORBIDDEN', message: 'x', reason: 'method.not_allowed' }))).toBe(false);
    expect(hubWantsPassword(new ApiCallError('hub.setQuotas', { code: 'UNAUTHENTICATED', message: 'x', details: { hubCode: 'BAD_CREDENTIALS' } }))).toBe(false);
    expect(hubWantsPassword(new ApiCallError('hub.setQuotas', { code: 'INVALID_STATE', message: 'x' }))).toBe(false);
    expect(hubWantsPassword(new Error('boom'))).toBe(false);
  });

  it('offers the live stations, this one first, and edits a quota by its station id and warehouse code', () => {
    const st = (id: string, name: string, revokedAt: number | null = null): HubStation => ({ id, name, userId: null, lastSeq: 0, lastSeen: null, createdAt: 0, revokedAt });
    expect(quotaStations([st('s3', '三号台'), st('s2', '二号台', 5), st('s1', '主管台'), st('s4', '一号台')], 's3').map((s) => s.id)).toEqual(['s3', 's4', 's1']);
    const q: HubQuotaView = { stationId: 's1', stationName: '主管台', mine: false, skuId: 'sku-1', sku: 'A', warehouseId: '', warehouse: null, quantity: 4, setBy: 'lead', updatedAt: 0 };
    expect(editValues(q)).toEqual({ station: 's1', warehouse: '', quantity: '4' });
    expect(editValues({ ...q, warehouseId: 'wh-1', warehouse: 'WH1' })).toEqual({ station: 's1', warehouse: 'WH1', quantity: '4' });
  });
});
