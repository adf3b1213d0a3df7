// The 商品对应 and 组合装 part of the API (electron/shared/api/mapping.ts).
import type { MappingMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { adapterFor, shopWithSecrets } from '../platforms/registry.ts';
import { listBundles, removeBundle, setBundle } from './bundles.ts';
import { autoMatch, exportMappings, listMappings, setMappings } from './mapping.ts';
import { importMappings } from './mapping-import.ts';
import { pullMappings } from './mapping-pull.ts';

export function mappingHandlers(d: DomainDeps): Pick<Handlers, MappingMethod> {
  const { db, ctx } = d;
  return {
    'mapping.pull': (input, actor) => pullMappings(ctx(actor), { adapterFor: (shop) => adapterFor(shopWithSecrets(db, d.secretCipher, shop), { now: d.now }) }, input),
    'mapping.list': (input) => listMappings(db, input),
    'mapping.set': (input, actor) => setMappings(ctx(actor), input),
    'mapping.autoMatch': (input, actor) => autoMatch(ctx(actor), input),
    'mapping.import': (input, actor) => importMappings(ctx(actor), input),
    'mapping.export': (input) => exportMappings(db, input, d.now()),
    'bundles.list': (input) => listBundles(db, input),
    'bundles.set': (input, actor) => setBundle(ctx(actor), input),
    'bundles.remove': (input, actor) => removeBundle(ctx(actor), input),
  };
}
