// The receiver as stored in an orders row, and the common model's receiver read back from it:
// ingest (a locally edited receiver), abnormal flags and the search index all read it this way.
import type { Receiver } from '../../shared/model.ts';

export interface ReceiverColumns {
  receiver_name: string;
  receiver_phone: string;
  receiver_province: string;
  receiver_city: string;
  receiver_district: string;
  receiver_town: string | null;
  receiver_address: string;
}

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
