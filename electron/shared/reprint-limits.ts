// How many reprints of one package each role may make on its own (null = no limit): the core
// enforces it (electron/core/printing/queue-commands.ts) and the renderer shows what is left ("还可以重打 N 次").
import type { Role } from './model.ts';

export const REPRINT_ALLOWANCE: Record<Role, number | null> = { owner: null, operator: null, service: 2, packer: 2, finance: 0 };
