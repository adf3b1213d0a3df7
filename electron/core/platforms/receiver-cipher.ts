// The receiver ciphertexts PDD, Douyin and Kuaishou orders carry, as their payload.ts mappers keep
// them in receiver.cipher: JSON {name, phone, address}, one ciphertext per field. Decrypt calls send
// them back to the platform; waybill requests pass them instead of plaintext
// (docs/platforms/common.md#receiver-data-pii-and-native-waybills). (Taobao keeps its oaid there instead, a
// plain string.)

export interface ReceiverCipher {
  name: string;
  phone: string;
  address: string;
}

/**
 * The three ciphertexts, or null when the text is not that shape. `complete`: all three must be
 * non-empty (a waybill request cannot mix ciphertexts and plaintext); otherwise empty fields pass
 * and callers skip them.
 */
export function receiverCipher(text: string | null, opts: { complete?: boolean } = {}): ReceiverCipher | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const { name, phone, address } = v as Record<string, unknown>;
  if (typeof name !== 'string' || typeof phone !== 'string' || typeof address !== 'string') return null;
  if (opts.complete && (name === '' || phone === '' || address === '')) return null;
  return { name, phone, address };
}
