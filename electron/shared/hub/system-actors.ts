// The station's own workers that write ops under a name of their own instead of a person's: its
// pull of the shops, the print queue's "printed" marks, auto-review and the background upkeep. The
// hub knows the team's people, not these; it runs their ops as the station's user (the person the
// station joined as), within that person's role and shops (docs/team-hub.md#mutators). Each worker
// takes its name from here, so a worker the hub does not know cannot be added by accident.
export const SYSTEM_ACTOR_NAMES = {
  sync: 'sync',
  printQueue: '打印队列',
  autoReview: '自动审单',
  upkeep: '后台任务',
} as const;

const NAMES: ReadonlySet<string> = new Set(Object.values(SYSTEM_ACTOR_NAMES));

/** Whether an op's actor is one of the station's workers (run as the station's user), not a person. */
export function isSystemActor(name: string): boolean {
  return NAMES.has(name);
}
