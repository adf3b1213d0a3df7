// The role sets the API and the core's own permission checks use, named once. A method's `roles`
// (electron/shared/api/<domain>.ts) picks one of these; a core check that must agree with a method
// imports the same set rather than spelling the roles out again.
// O owner · P operator (运营) · S service (客服) · K packer (打包) · F finance (财务)
import { ROLES, type Role } from './model.ts';

/** Everyone: O P S K F. */
export const ALL_ROLES = ROLES;
/** The owner alone (O): seller accounts' secrets and authorisations. */
export const OWNER = ['owner'] as const satisfies readonly Role[];
/** Who runs the station (O P): configuration, closing orders, deciding requests. */
export const MANAGERS = ['owner', 'operator'] as const satisfies readonly Role[];
/** The order desk (O P S): everyday edits to orders and customer service. */
export const DESK = ['owner', 'operator', 'service'] as const satisfies readonly Role[];
/** Everyone who handles parcels and labels (O P S K): all but finance. */
export const CREW = ['owner', 'operator', 'service', 'packer'] as const satisfies readonly Role[];
/** Who may mark parcels shipped (O P K). */
export const SHIPPERS = ['owner', 'operator', 'packer'] as const satisfies readonly Role[];
/** Who may take order data out of the station as a file (O P S F). */
export const EXPORTERS = ['owner', 'operator', 'service', 'finance'] as const satisfies readonly Role[];
/** Who reads the carriers' performance (O P F). */
export const ANALYSTS = ['owner', 'operator', 'finance'] as const satisfies readonly Role[];
/** Who moves stock in the warehouse — receiving, counting, transfers (O P K). */
export const STOCK_KEEPERS = ['owner', 'operator', 'packer'] as const satisfies readonly Role[];
