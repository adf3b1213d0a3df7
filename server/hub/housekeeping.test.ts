// The hub's sign-in limit and its periodic sweep, on PGlite and (when SHOPFLEET_TEST_DATABASE_URL is
// set) PostgreSQL: 5 wrong sign-ins in a row lock a person for a minute whatever the password after
// them (429 SIGN_IN_LOCKED with Retry-After), a good one clears the count, many wrong ones from one
// address lock that address, tries counted at once are all counted; the sweep deletes expired
// sessions and long-used or long-expired join codes, and two sweeps at once delete each row once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubApp } from './app.ts';
import { KEEP_CODES_MS, sweep } from './housekeeping.ts';
import { login } from './identity.ts';
import { ADDRESS_MAX_FAILURES, LOCK_MS, USER_MAX_FAILURES } from './login-limit.ts';
import { call, openTeamHub, TEST_ENGINES, type TeamHub } from './testkit.ts';

for (const te of TEST_ENGINES) {
  describe(`sign-in limit and sweep (${te.name})`, () => {
    let h: TeamHub;
    beforeAll(async () => {
      h = await openTeamHub(te);
      await call(h.app, 'POST', '/v1/invites', { token: h.owner, body: { user: '小李', role: 'packer', password: 'li password' } });
    }, 60_000);
    afterAll(() => h?.close());

    const signIn = async (user: string, password: string, ip = '10.0.0.1') => {
      const res = await h.app.inject({ method: 'POST', url: '/v1/login', remoteAddress: ip, payload: { team: '杭州店群', user, password } });
      return { status: res.statusCode, body: JSON.parse(res.body), retryAfter: res.headers['retry-after'] };
    };

    it('five wrong passwords in a row lock the person for a minute, even with the right one; others sign in', async () => {
      for (let i = 0; i < USER_MAX_FAILURES; i++) expect((await signIn('小李', 'wrong')).body.code).toBe('BAD_CREDENTIALS');
      const locked = await signIn('小李', 'li password');
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ code: 'SIGN_IN_LOCKED' });
      expect(locked.body.retryAfterMs).toBeGreaterThan(LOCK_MS - 10_000);
      expect(locked.body.retryAfterMs).toBeLessThanOrEqual(LOCK_MS);
      expect(Number(locked.retryAfter)).toBe(Math.ceil(locked.body.retryAfterMs / 1000));
      // From another address too: the person is locked, not the address.
      expect((await signIn('小李', 'li password', '10.0.0.2')).status).toBe(429);
      expect((await signIn('boss', 'correct horse')).status).toBe(200);
      // After the minute the right password works, and it clears the count.
      const later = Date.now() + LOCK_MS + 1;
      await expect(login(h.engine, { team: '杭州店群', user: '小李', password: 'li password' }, null, later, '10.0.0.1')).resolves.toMatchObject({ user: { name: '小李' } });
    });

    it('a good sign-in clears the count: four wrong, one right, four wrong still signs in', async () => {
      for (let i = 0; i < USER_MAX_FAILURES - 1; i++) expect((await signIn('boss', 'wrong', '10.0.1.1')).status).toBe(401);
      expect((await signIn('boss', 'correct horse', '10.0.1.1')).status).toBe(200);
      for (let i = 0; i < USER_MAX_FAILURES - 1; i++) expect((await signIn('boss', 'wrong', '10.0.1.1')).status).toBe(401);
      expect((await signIn('boss', 'correct horse', '10.0.1.1')).status).toBe(200);
    });

    it('tries made at the same moment are all counted', async () => {
      await call(h.app, 'POST', '/v1/invites', { token: h.owner, body: { user: '小周', role: 'packer', password: 'zhou password' } });
      const answers = await Promise.all(Array.from({ length: USER_MAX_FAILURES }, (_, i) => signIn('小周', 'wrong', `10.0.2.${i}`)));
      expect(answers.map((a) => a.status)).toEqual(Array(USER_MAX_FAILURES).fill(401));
      expect((await signIn('小周', 'zhou password', '10.0.2.9')).status).toBe(429);
    });

    it('many wrong sign-ins from one address, whatever names they try, lock that address only', async () => {
      for (let i = 0; i < ADDRESS_MAX_FAILURES; i++) expect((await signIn(`nobody-${i}`, 'guess', '10.9.9.9')).status).toBe(401);
      const locked = await signIn('boss', 'correct horse', '10.9.9.9');
      expect(locked).toMatchObject({ status: 429, body: { code: 'SIGN_IN_LOCKED' } });
      expect(locked.body.message).toContain('this address');
      expect((await signIn('boss', 'correct horse', '10.9.9.10')).status).toBe(200);
    });

    it('the sweep deletes expired sessions and join codes used or expired a week ago; two at once delete each once', async () => {
      const now = Date.now();
      const e = h.engine;
      const team = (await e.query<{ id: string }>('SELECT id FROM teams')).rows[0]!.id;
      const user = (await e.query<{ id: string }>("SELECT id FROM users WHERE name = 'boss'")).rows[0]!.id;
      const session = (hash: string, expiresAt: number) => e.query('INSERT INTO sessions (token_hash, team_id, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)', [hash, team, user, 0, expiresAt]);
      await session('s-expired', now - 1);
      await session('s-live', now + 60_000);
      const code = (hash: string, expiresAt: number, usedAt: number | null) =>
        e.query("INSERT INTO join_codes (code_hash, team_id, user_id, role, created_by, created_at, expires_at, used_at) VALUES ($1,$2,$3,'owner','boss',0,$4,$5)", [hash, team, user, expiresAt, usedAt]);
      await code('c-used-long-ago', now + 1000, now - KEEP_CODES_MS - 1);
      await code('c-used-lately', now + 1000, now - 1000);
      await code('c-expired-long-ago', now - KEEP_CODES_MS - 1, null);
      await code('c-expired-lately', now - 1000, null);
      await code('c-open', now + 60_000, null);
      const before = (await e.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions')).rows[0]!.n;
      const [a, b] = await Promise.all([sweep(e, now), sweep(e, now)]);
      expect(a.sessions + b.sessions).toBe(1);
      expect(a.joinCodes + b.joinCodes).toBe(2);
      expect((await e.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions')).rows[0]!.n).toBe(before - 1);
      const left = (await e.query<{ code_hash: string }>("SELECT code_hash FROM join_codes WHERE code_hash LIKE 'c-%' ORDER BY code_hash")).rows.map((r) => r.code_hash);
      expect(left).toEqual(['c-expired-lately', 'c-open', 'c-used-lately']);
      // The locks still running stay; the sign-in counts of long ago go.
      await e.query("INSERT INTO login_attempts (key, failures, first_at, locked_until) VALUES ('user:x:old', 2, 0, NULL)");
      const kept = (await e.query<{ n: number }>('SELECT count(*)::int AS n FROM login_attempts WHERE locked_until > $1', [now])).rows[0]!.n;
      expect(kept).toBeGreaterThan(0);
      expect((await sweep(e, now)).loginAttempts).toBeGreaterThanOrEqual(1);
      expect((await e.query<{ n: number }>('SELECT count(*)::int AS n FROM login_attempts WHERE locked_until > $1', [now])).rows[0]!.n).toBe(kept);
      expect((await e.query("SELECT 1 FROM login_attempts WHERE key = 'user:x:old'")).rows).toHaveLength(0);
      expect(await sweep(e, now)).toEqual({ sessions: 0, joinCodes: 0, loginAttempts: 0 });
    });

    it('a hub process sweeps when it starts', async () => {
      await h.engine.query("INSERT INTO sessions (token_hash, team_id, user_id, created_at, expires_at) SELECT 's-gone', t.id, u.id, 0, 1 FROM teams t JOIN users u ON u.team_id = t.id AND u.name = 'boss'");
      const second = await createHubApp({ engine: h.engine });
      await second.close();
      expect((await h.engine.query("SELECT 1 FROM sessions WHERE token_hash = 's-gone'")).rows).toHaveLength(0);
    });
  });
}
