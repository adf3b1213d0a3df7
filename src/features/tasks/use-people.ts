// The team's people for the pickers (tasks.people): on a station joined to a hub, the hub's accounts.
import type { PersonView } from '../../../electron/shared/contract.ts';
import { useQuery } from '../../api/use-query.ts';

export function usePeople(): PersonView[] {
  return useQuery('tasks.people', {}).data ?? [];
}

/** Who a user id is, for a list that only has the id (a hub-made task's author is the hub). */
export function personName(people: readonly PersonView[], id: string, hubWord: string): string | null {
  if (id === 'hub') return hubWord;
  return people.find((p) => p.id === id)?.name ?? null;
}
