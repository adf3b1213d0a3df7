// Who is at this station and what the role may call: the UI hides or disables what the core would refuse.
import { create } from 'zustand';
import { methods, type Actor, type MethodName } from '../../electron/shared/contract.ts';

interface SessionState {
  actor: Actor | null;
  setActor(actor: Actor): void;
}

export const useSession = create<SessionState>((set) => ({
  actor: null,
  setActor: (actor) => set({ actor }),
}));

export function roleMayCall(role: Actor['role'] | undefined, name: MethodName): boolean {
  return role !== undefined && (methods[name].roles as readonly string[]).includes(role);
}

/** Hook: may the current user call `name`? False until whoami answers. */
export function useCan(name: MethodName): boolean {
  return useSession((s) => roleMayCall(s.actor?.role, name));
}
