// The receiver as stored in an orders row, and the common model's receiver read back from it:
// ingest (a locally edited receiver), abnormal flags and the search index all read it this way.
import type { Receiver } from '../../shared/model.ts';
import type { Columns, StoredOrder } from '../db/rows.ts';

export type ReceiverColumns = Pick<
  Columns<StoredOrder>,
  'receiver_name' | 'receiver_phone' | 'receiver_province' | 'receiver_city' | 'receiver_district' | 'receiver_town' | 'receiver_address'
>;

/** For SELECT lists: the columns of ReceiverColumns. */
export const RECEIVER_COLUMNS =
  'receiver_name, receiver_phone, receiver_province, receiver_city, receiver_district, receiver_town, receiver_address';

export function receiverFromRow(row: ReceiverColumns): Omit<Receiver, 'cipher'> {
  return {
    name: row.receiver_name,
    phone: row.receiver_phone,
    province: row.receiver_province,
    city: row.receiver_city,
    district: row.receiver_district,
    town: row.receiver_town,
    address: row.receiver_address,
  };
}
