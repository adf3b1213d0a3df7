// A station's own workers (its shop pull, its print queue, auto-review, the background upkeep) write
// ops under their own names, not a person's. The hub runs them as the station's user — that
// person's role decides — and still refuses a name that is neither a worker nor a person of the team.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushOp } from '../../electron/shared/hub/protocol.ts';
import { SYSTEM_ACTOR_NAMES } from '../../electron/shared/hub/system-actors.ts';
import type { Engine } from '../db/engine.ts';
import { call, joinStation, pushAs, openTeamHub, type TeamHub, TEST_ENGINES, type TestStation } from './testkit.ts';

describe.each(TEST_ENGINES)('system actors on $name', (te) => {
  let engine: Engine;
  let app: FastifyInstance;
  let hub: TeamHub;
  let ownerSession: string;

  beforeAll(async () => {
    hub = await openTeamHub(te);
    ({ engine, app } = hub);
    ownerSession = hub.owner;
  });
  afterAll(() => hub.close());

  let n = 0;
  const op = (s: TestStation, name: string, actor: string): PushOp => {
    s.seq += 1;
    n += 1;
    return { seq: s.seq, id: `${s.id}-${s.seq}`, name, hlc: `${String(1000 + n).padStart(15, '0')}-0000-${s.id}`, actor, args: {}, effects: [{ table: 'tags', key: [`t${n}`], columns: { name: `tag ${n}` } }] };
  };
  const results = async (s: TestStation, ops: PushOp[]) => {
    const r = await pushAs(app, s, ops);
    expect(r.status).toBe(200);
    return (r.body.results as { name: string; status: string; reason?: string }[]).map((x) => [x.name, x.status, x.reason ?? null]);
  };

  it("every worker's op runs as the station's user, under that person's role; an unknown name is still refused", async () => {
    const packing = await joinStation(app, ownerSession, 'xiaoli', 'packer', '一号打包台');
    expect(
      await results(packing, [
        op(packing, 'print.markPrinted', SYSTEM_ACTOR_NAMES.printQueue),
        op(packing, 'sync.ingest', SYSTEM_ACTOR_NAMES.sync),
        op(packing, 'print.enqueue', SYSTEM_ACTOR_NAMES.upkeep),
        // Auto-review runs orders.review's roles: a packer's station may not review.
        op(packing, 'orders.autoReview', SYSTEM_ACTOR_NAMES.autoReview),
        op(packing, 'tags.create', '路人甲'),
      ]),
    ).toEqual([
      ['print.markPrinted', 'applied', null],
      ['sync.ingest', 'applied', null],
      ['print.enqueue', 'applied', null],
      ['orders.autoReview', 'refused', 'ROLE_FORBIDDEN'],
      ['tags.create', 'refused', 'UNKNOWN_ACTOR'],
    ]);
    const desk = await joinStation(app, ownerSession, 'yunying', 'operator', '运营电脑');
    expect(await results(desk, [op(desk, 'orders.autoReview', SYSTEM_ACTOR_NAMES.autoReview)])).toEqual([['orders.autoReview', 'applied', null]]);
  });
});
