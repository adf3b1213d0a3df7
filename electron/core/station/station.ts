// A station's state that lives in memory only, owned by the core that serves it (createCore makes
// one; the API handlers reach it through their deps). Keeping it here rather than in module-level
// maps keyed by the database means two cores in one process — tests, a CLI beside a host — never
// share scan counts or a half-finished authorisation by accident, and closing the core ends them.
import { Authorizer, type AuthorizerDeps } from '../shops/authorize.ts';
import { ScanSessions } from '../packing/sessions.ts';

export class Station {
  /** The packing station's scan counts (packing/sessions.ts): forgotten on restart on purpose. */
  readonly scanSessions = new ScanSessions();
  /** Token refreshes running now, by shop id (shops/token-refresh.ts). */
  readonly tokenRefreshes = new Map<string, Promise<void>>();
  private authorizer: Authorizer | null = null;

  /** The station's one Authorizer (its loopback listener and the authorisations in flight), made on first use. */
  authorizerFor(deps: AuthorizerDeps): Authorizer {
    this.authorizer ??= new Authorizer(deps);
    return this.authorizer;
  }

  /** The Authorizer if an authorisation was started (the CLI waits on it after shops.authorizeStart). */
  existingAuthorizer(): Authorizer | undefined {
    return this.authorizer ?? undefined;
  }

  /** Ends what is in flight: the loopback listener stops, pending authorisations fail. */
  async close(): Promise<void> {
    await this.authorizer?.close();
  }
}
