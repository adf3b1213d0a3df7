// The waybill label sizes (76×130 一联单, 100×150, 100×180 二联单), named once. Without zod, so the
// label path can name them without loading it (zod costs a cold process ~30 ms).
export const LABEL_TEMPLATE_IDS = ['76x130', '100x150', '100x180'] as const;
export type LabelTemplateId = (typeof LABEL_TEMPLATE_IDS)[number];
