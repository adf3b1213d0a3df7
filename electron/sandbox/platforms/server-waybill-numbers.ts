// What the loopback platform servers hand out as e-waybills: a number that is a pure function of
// (carrier, key) — each server chooses the key: the request's own ids where its platform documents
// that asking again returns the same number (Douyin's order_id + pack_id), a per-issue serial where it
// documents nothing (PDD, Kuaishou) — a sort code (三段码) that is a pure function of the receiver's
// area, and opaque encrypted print data. Sandbox-only: the formats imitate the carriers' look and
// are [UNVERIFIED] against any real carrier's numbering rules.
import { createCipheriv, createHash, createHmac } from 'node:crypto';

/** Prefix + digit count per common carrier code (looks like each carrier's numbers; sandbox only). */
const FORMATS: Record<string, { prefix: string; digits: number }> = {
  ZTO: { prefix: '7', digits: 13 },
  YTO: { prefix: 'YT', digits: 13 },
  STO: { prefix: '77', digits: 12 },
  YUNDA: { prefix: '43', digits: 12 },
  JTSD: { prefix: 'JT', digits: 13 },
  SF: { prefix: 'SF', digits: 13 },
  EMS: { prefix: '1', digits: 12 },
  POSTB: { prefix: '98', digits: 11 },
  JD: { prefix: 'JDVA', digits: 11 },
  DBL: { prefix: 'DPK', digits: 12 },
};

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The waybill number for (carrier, key): deterministic, so the same key always gives the same number. */
export function sandboxWaybillNo(carrierCode: string, key: string): string {
  const f = FORMATS[carrierCode] ?? { prefix: 'SB', digits: 12 };
  const n = BigInt(`0x${digest(`waybill|${carrierCode}|${key}`).subarray(0, 12).toString('hex')}`) % 10n ** BigInt(f.digits);
  return `${f.prefix}${n.toString().padStart(f.digits, '0')}`;
}

/** A 三段码-style sort code like '531-D05 07' for a receiver area (same area → same code). */
export function sandboxSortCode(carrierCode: string, province: string, city: string, district: string): string {
  const d = digest(`sort|${carrierCode}|${province}|${city}|${district}`);
  const first = 100 + (d.readUInt16BE(0) % 900);
  const letter = String.fromCharCode(65 + (d[2] as number) % 26);
  const mid = String((d[3] as number) % 100).padStart(2, '0');
  const last = String((d[4] as number) % 100).padStart(2, '0');
  return `${first}-${letter}${mid} ${last}`;
}

/** 集包地 / package-centre code and name for an area (Douyin returns them beside the sort code). */
export function sandboxPackageCenter(carrierCode: string, province: string): { code: string; name: string } {
  const d = digest(`centre|${carrierCode}|${province}`);
  return { code: String(100 + (d.readUInt16BE(0) % 900)), name: `${province.replace(/(省|市|自治区|壮族|回族|维吾尔)+$/u, '')}集包中心` };
}

/**
 * Print data for a print component: encryptedData is the label data AES-encrypted under a key only
 * the "platform" (this server, from its app secret) holds, so the station can pass it on but not
 * read it — as with Cainiao's need_encrypt=true
 * (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget). Deterministic per content.
 */
export function sandboxEncryptedPrintData(secret: string, data: unknown, templateURL: string): { encryptedData: string; signature: string; templateURL: string; ver: string } {
  const plain = JSON.stringify(data);
  const key = digest(`print-key|${secret}`);
  const iv = digest(`print-iv|${plain}`).subarray(0, 16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const encryptedData = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
  const signature = createHmac('sha256', secret).update(encryptedData).digest('hex').toUpperCase();
  return { encryptedData, signature, templateURL, ver: 'waybill_print_secret_version_1' };
}
