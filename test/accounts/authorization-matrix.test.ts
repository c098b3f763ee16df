// The authorization matrix: every state-changing route × {anonymous, other user, workshop member, design
// maintainer, design owner, admin, remote actor} with the status each must get. A new POST/PUT/PATCH/DELETE route
// without a row fails the test. Every fixture is made through the API; a cell that changes state gets its own fresh
// one. The remote actor is the account standing here for someone of another instance (as a report or a mirror from
// there makes it), holding a session written straight into the database — the API never issues one to it: 401
// everywhere, nothing changed. What remote actors send through inboxes is refused in test/federation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import {
  createDesign,
  createTestApp,
  formPayload,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { loshV1Toml } from '../interop/fixtures.js';
import { ensureRemoteOwner } from '../../server/src/accounts/remote-owners.js';
import { sessions } from '../../server/src/accounts/tables.js';

const localRoles = ['anonymous', 'other', 'member', 'maintainer', 'owner', 'admin'] as const;
const roles = [...localRoles, 'remote'] as const;
type Role = (typeof roles)[number];
type Expected = Record<(typeof localRoles)[number], number>;

interface World {
  t: TestApp;
  remote: { auth: { authorization: string } };
  admin: TestUser;
  owner: TestUser;
  maintainer: TestUser;
  member: TestUser;
  other: TestUser;
  workshopAdmin: TestUser;
  /** owner/press@1.0.0 with a BOM, maintainer added */
  design: string;
  workshop: string;
  proposal: string;
}

interface Cell {
  url: string;
  /** signs the cell with another token of the role's account (one the cell may end, as sign-out does) */
  auth?: { authorization: string };
  payload?: unknown;
  form?: FormData;
}

interface Row {
  route: string;
  expect: Expected;
  /** the request of one cell; may build fresh fixtures so that cells do not affect each other */
  request(w: World, role: Role): Promise<Cell>;
}

const uniq = () => randomBytes(4).toString('hex');
const bomCsv = 'Level,Part Number,Description,Qty,Unit,Process\n1,FR-01,Frame,1,pcs,welding\n';
const all = (status: number): Expected => ({
  anonymous: status,
  other: status,
  member: status,
  maintainer: status,
  owner: status,
  admin: status,
});
/** writers may, anonymous gets 401 */
const anyWriter = (status: number): Expected => ({ ...all(status), anonymous: 401 });
const leadsOnly = (status: number): Expected => ({
  anonymous: 401,
  other: 403,
  member: 403,
  maintainer: status,
  owner: status,
  admin: 403,
});
const ownerOnly = (status: number): Expected => ({
  anonymous: 401,
  other: 403,
  member: 403,
  maintainer: 403,
  owner: status,
  admin: 403,
});

function check(r: { statusCode: number }, what: string, status = 201) {
  if (r.statusCode !== status) throw new Error(`${what}: ${r.statusCode} ${(r as any).body}`);
  return (r as any).json();
}

async function freshDesign(w: World, opts: { publish?: boolean; maintainer?: boolean } = {}): Promise<string> {
  const slug = 'd' + uniq();
  await createDesign(w.t.app, w.owner, slug);
  if (opts.maintainer !== false) {
    check(
      await w.t.app.inject({
        method: 'POST',
        url: `/api/designs/${w.owner.handle}/${slug}/maintainers`,
        headers: w.owner.auth,
        payload: { handle: w.maintainer.handle },
      }),
      'maintainer',
    );
  }
  if (opts.publish)
    check(
      await publish(w.t.app, w.owner, w.owner.handle, slug, { version: '1.0.0' }, [
        { path: 'README.md', bytes: '# x' },
      ]),
      'publish',
    );
  return `/api/designs/${w.owner.handle}/${slug}`;
}

async function freshWorkshop(w: World): Promise<string> {
  const slug = 'w' + uniq();
  check(
    await w.t.app.inject({
      method: 'POST',
      url: '/api/workshops',
      headers: w.workshopAdmin.auth,
      payload: { slug, name: `Workshop ${slug}`, place: { city: 'Oviedo', country: 'ES' }, processes: ['welding'] },
    }),
    'workshop',
  );
  check(
    await w.t.app.inject({
      method: 'POST',
      url: `/api/workshops/${slug}/members`,
      headers: w.workshopAdmin.auth,
      payload: { handle: w.member.handle },
    }),
    'member',
  );
  return slug;
}

function reportForm(workshop: string, photo = false): FormData {
  const fd = new FormData();
  fd.append('report', JSON.stringify({ workshop, outcome: 'success', hours: 3 }));
  if (photo) fd.append('photos', new Blob([tinyPng]), 'p.png');
  return fd;
}

async function freshReport(w: World): Promise<string> {
  const { payload, headers } = await formPayload(reportForm(w.workshop));
  return check(
    await w.t.app.inject({
      method: 'POST',
      url: `${w.design}/versions/1.0.0/builds`,
      headers: { ...headers, ...w.member.auth },
      payload,
    }),
    'report',
  ).id;
}

/** other forks owner/press, publishes 1.1.0 on the fork and proposes it upstream */
async function freshProposal(w: World): Promise<string> {
  const slug = 'f' + uniq();
  check(
    await w.t.app.inject({
      method: 'POST',
      url: `${w.design}/forks`,
      headers: w.other.auth,
      payload: { version: '1.0.0', slug },
    }),
    'fork',
  );
  check(
    await publish(w.t.app, w.other, w.other.handle, slug, { version: '1.1.0' }, [
      { path: 'README.md', bytes: '# fork ' + slug },
    ]),
    'fork publish',
  );
  return check(
    await w.t.app.inject({
      method: 'POST',
      url: `${w.design}/proposals`,
      headers: w.other.auth,
      payload: { from: `${w.other.handle}/${slug}@1.1.0`, message: 'better' },
    }),
    'proposal',
  ).id;
}

/** a discussion on owner/press raised by other (a problem: leads may also mark it fixed), with one reply of other's */
async function freshDiscussion(w: World): Promise<{ id: string; reply: string }> {
  const id = check(
    await w.t.app.inject({
      method: 'POST',
      url: `${w.design}/discussions`,
      headers: w.other.auth,
      payload: { kind: 'problem', title: 'Ram sticks', body: 'It sticks', version: '1.0.0' },
    }),
    'discussion',
  ).id;
  const reply = check(
    await w.t.app.inject({
      method: 'POST',
      url: `/api/discussions/${id}/replies`,
      headers: w.other.auth,
      payload: { body: 'Grease it' },
    }),
    'reply',
  ).id;
  return { id, reply };
}

// a 1×1 PNG
const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
let versionCounter = 10;

const rows: Row[] = [
  // ── accounts ──
  {
    route: 'POST /api/auth/register',
    expect: all(201),
    request: async () => {
      const h = 'r' + uniq();
      return {
        url: '/api/auth/register',
        payload: { handle: h, email: `${h}@example.org`, password: 'long enough password' },
      };
    },
  },
  {
    route: 'POST /api/auth/login',
    expect: all(200),
    request: async (w) => ({ url: '/api/auth/login', payload: { login: w.other.handle, password: w.other.password } }),
  },
  // each role with a wrong password: refused, and nobody deletes another's account (the route has no target)
  {
    route: 'DELETE /api/me',
    expect: { ...all(403), anonymous: 401 },
    request: async () => ({ url: '/api/me', payload: { password: 'not the password' } }),
  },
  // one's own settings: any account changes its own, nobody another's (the route has no target)
  {
    route: 'PATCH /api/me',
    expect: anyWriter(200),
    request: async () => ({ url: '/api/me', payload: { locale: 'ca' } }),
  },
  // one's own avatar: any account sets or removes its own, nobody another's (the route has no target)
  {
    route: 'PUT /api/me/avatar',
    expect: anyWriter(200),
    request: async () => {
      const fd = new FormData();
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
        .png()
        .toBuffer();
      fd.append('avatar', new Blob([png as BlobPart]), 'me.png');
      return { url: '/api/me/avatar', form: fd };
    },
  },
  {
    route: 'DELETE /api/me/avatar',
    expect: anyWriter(204),
    request: async () => ({ url: '/api/me/avatar' }),
  },
  // sign-out ends the session it is signed with: each role signs in afresh for its cell
  {
    route: 'POST /api/auth/logout',
    expect: anyWriter(204),
    request: async (w, role) => {
      if (role === 'anonymous') return { url: '/api/auth/logout' };
      // a remote account cannot sign in here: its own session is tried
      if (role === 'remote') return { url: '/api/auth/logout' };
      const login = { login: w[role].handle, password: w[role].password };
      const { token } = check(
        await w.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: login }),
        'login',
        200,
      );
      return { url: '/api/auth/logout', auth: { authorization: `Bearer ${token}` } };
    },
  },
  {
    route: 'DELETE /api/me/sessions/:id',
    // someone else's session is simply not found
    expect: { anonymous: 401, other: 404, member: 404, maintainer: 404, owner: 204, admin: 404 },
    request: async (w) => {
      const login = { login: w.owner.handle, password: w.owner.password };
      const { token } = check(
        await w.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: login }),
        'login',
        200,
      );
      const mine = check(
        await w.t.app.inject({ url: '/api/me/sessions', headers: { authorization: `Bearer ${token}` } }),
        'sessions',
        200,
      );
      return { url: `/api/me/sessions/${mine.items.find((s: { current: boolean }) => s.current).id}` };
    },
  },
  {
    // a ticket to open /api/events as oneself: anyone signed in, for their own sessions and tokens only
    route: 'POST /api/events/tickets',
    expect: anyWriter(201),
    request: async () => ({ url: '/api/events/tickets' }),
  },
  {
    route: 'POST /api/tokens',
    expect: anyWriter(201),
    request: async () => ({ url: '/api/tokens', payload: { name: 'ci', scope: 'read' } }),
  },
  {
    route: 'DELETE /api/tokens/:id',
    // someone else's token id is simply not found: no hint that it exists
    expect: { anonymous: 401, other: 404, member: 404, maintainer: 404, owner: 204, admin: 404 },
    request: async (w) => ({
      url: `/api/tokens/${check(await w.t.app.inject({ method: 'POST', url: '/api/tokens', headers: w.owner.auth, payload: { name: 'x', scope: 'write' } }), 'token').id}`,
    }),
  },
  // ── designs and versions ──
  {
    route: 'POST /api/designs',
    expect: anyWriter(201),
    request: async () => ({ url: '/api/designs', payload: { slug: 'n' + uniq(), title: 'New' } }),
  },
  {
    route: 'PATCH /api/designs/:owner/:slug',
    expect: leadsOnly(200),
    request: async (w) => ({ url: w.design, payload: { summary: 'edited' } }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/maintainers',
    expect: ownerOnly(201),
    request: async (w) => ({ url: `${await freshDesign(w)}/maintainers`, payload: { handle: w.other.handle } }),
  },
  {
    route: 'DELETE /api/designs/:owner/:slug/maintainers/:handle',
    expect: ownerOnly(204),
    request: async (w) => ({ url: `${await freshDesign(w)}/maintainers/${w.maintainer.handle}` }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/versions',
    expect: leadsOnly(201),
    request: async (w) => {
      const fd = new FormData();
      fd.append('manifest', JSON.stringify({ version: `1.${versionCounter++}.0` }));
      fd.append('files', new Blob(['# v']), 'README.md');
      return { url: `${w.design}/versions`, form: fd };
    },
  },
  {
    route: 'POST /api/designs/:owner/:slug/versions/:version/yank',
    expect: leadsOnly(200),
    request: async (w) => ({ url: `${await freshDesign(w, { publish: true })}/versions/1.0.0/yank` }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/versions/:version/reprocess',
    expect: leadsOnly(202),
    request: async (w) => ({ url: `${w.design}/versions/1.0.0/reprocess` }),
  },
  // ── BOM, import, blobs ──
  {
    route: 'POST /api/bom/parse',
    expect: all(200), // a preview that stores nothing; bounded in size (hostile-files test)
    request: async () => {
      const fd = new FormData();
      fd.append('bom', new Blob([bomCsv]), 'bom.csv');
      return { url: '/api/bom/parse', form: fd };
    },
  },
  {
    route: 'POST /api/import',
    expect: anyWriter(201),
    request: async () => {
      const fd = new FormData();
      fd.append('files', new Blob([loshV1Toml]), 'okh.toml');
      return { url: '/api/import', form: fd };
    },
  },
  {
    route: 'POST /api/blobs/exists',
    expect: anyWriter(200),
    request: async () => ({ url: '/api/blobs/exists', payload: { sha256s: ['0'.repeat(64)] } }),
  },
  // ── forks and proposals ──
  {
    route: 'POST /api/designs/:owner/:slug/forks',
    expect: anyWriter(201),
    request: async (w) => ({ url: `${w.design}/forks`, payload: { version: '1.0.0', slug: 'k' + uniq() } }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/proposals',
    // proposing takes leading the fork (here `other` owns it), not the target
    expect: { anonymous: 401, other: 201, member: 403, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => {
      const slug = 'f' + uniq();
      check(
        await w.t.app.inject({
          method: 'POST',
          url: `${w.design}/forks`,
          headers: w.other.auth,
          payload: { version: '1.0.0', slug },
        }),
        'fork',
      );
      return {
        url: `${w.design}/proposals`,
        payload: { from: `${w.other.handle}/${slug}@1.0.0`, message: 'take this' },
      };
    },
  },
  {
    route: 'POST /api/designs/:owner/:slug/versions/:version/translations',
    // anyone signed in proposes a translation; the leads accept it
    expect: anyWriter(201),
    request: async (w) => ({
      url: `${w.design}/versions/1.0.0/translations`,
      payload: { lang: 'es', markdown: '# Prensa' },
    }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/proposals/:id/comments',
    expect: anyWriter(201),
    request: async (w) => ({ url: `${w.design}/proposals/${w.proposal}/comments`, payload: { body: 'nice' } }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/proposals/:id/accept',
    expect: leadsOnly(201),
    request: async (w) => ({
      url: `${w.design}/proposals/${await freshProposal(w)}/accept`,
      payload: { version: `1.${versionCounter++}.0` },
    }),
  },
  {
    route: 'POST /api/designs/:owner/:slug/proposals/:id/decline',
    expect: leadsOnly(200),
    request: async (w) => ({
      url: `${w.design}/proposals/${await freshProposal(w)}/decline`,
      payload: { reason: 'no' },
    }),
  },
  // ── workshops ──
  {
    route: 'POST /api/workshops',
    expect: anyWriter(201),
    request: async () => {
      const slug = 'w' + uniq();
      return {
        url: '/api/workshops',
        payload: { slug, name: 'W', place: { city: 'Gijón', country: 'ES' }, processes: [] },
      };
    },
  },
  {
    route: 'PATCH /api/workshops/:slug',
    // the workshop's own admins, and the instance admin (moderation)
    expect: { anonymous: 401, other: 403, member: 403, maintainer: 403, owner: 403, admin: 200 },
    request: async (w) => ({ url: `/api/workshops/${w.workshop}`, payload: { description: 'edited' } }),
  },
  {
    route: 'POST /api/workshops/:slug/members',
    expect: { anonymous: 401, other: 403, member: 403, maintainer: 403, owner: 403, admin: 201 },
    request: async (w) => ({
      url: `/api/workshops/${await freshWorkshop(w)}/members`,
      payload: { handle: w.other.handle },
    }),
  },
  {
    route: 'DELETE /api/workshops/:slug/members/:handle',
    // a member may leave; removing someone else takes a workshop or instance admin
    expect: { anonymous: 401, other: 403, member: 204, maintainer: 403, owner: 403, admin: 204 },
    request: async (w) => ({ url: `/api/workshops/${await freshWorkshop(w)}/members/${w.member.handle}` }),
  },
  // ── builds and reviews ──
  {
    route: 'POST /api/designs/:owner/:slug/versions/:version/builds',
    expect: { anonymous: 401, other: 403, member: 201, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => ({ url: `${w.design}/versions/1.0.0/builds`, form: reportForm(w.workshop) }),
  },
  {
    route: 'PATCH /api/builds/:id',
    expect: { anonymous: 401, other: 403, member: 200, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => ({ url: `/api/builds/${await freshReport(w)}`, payload: { hours: 4 } }),
  },
  {
    route: 'POST /api/builds/:id/resubmit',
    expect: { anonymous: 401, other: 403, member: 200, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => {
      const id = await freshReport(w);
      check(
        await w.t.app.inject({
          method: 'POST',
          url: `/api/builds/${id}/reviews`,
          headers: w.owner.auth,
          payload: { decision: 'request-changes', comment: 'photos please' },
        }),
        'review',
      );
      return { url: `/api/builds/${id}/resubmit`, payload: { comment: 'done' } };
    },
  },
  {
    route: 'POST /api/builds/:id/photos',
    expect: { anonymous: 401, other: 403, member: 201, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => {
      const fd = new FormData();
      fd.append('photos', new Blob([tinyPng]), 'p.png');
      return { url: `/api/builds/${await freshReport(w)}/photos`, form: fd };
    },
  },
  {
    route: 'POST /api/builds/:id/reviews',
    // the design's leads, never the author (the member)
    expect: leadsOnly(201),
    request: async (w) => ({
      url: `/api/builds/${await freshReport(w)}/reviews`,
      payload: { decision: 'approve', comment: 'ok' },
    }),
  },
  // ── stars, watching and notifications: each person's own, any writer ──
  {
    route: 'PUT /api/designs/:owner/:slug/star',
    expect: anyWriter(204),
    request: async (w) => ({ url: `${w.design}/star` }),
  },
  {
    route: 'DELETE /api/designs/:owner/:slug/star',
    expect: anyWriter(204),
    request: async (w) => ({ url: `${w.design}/star` }),
  },
  {
    route: 'PUT /api/designs/:owner/:slug/watch',
    expect: anyWriter(204),
    request: async (w) => ({ url: `${w.design}/watch` }),
  },
  {
    route: 'DELETE /api/designs/:owner/:slug/watch',
    expect: anyWriter(204),
    request: async (w) => ({ url: `${w.design}/watch` }),
  },
  {
    route: 'PUT /api/workshops/:slug/watch',
    expect: anyWriter(204),
    request: async (w) => ({ url: `/api/workshops/${w.workshop}/watch` }),
  },
  {
    route: 'DELETE /api/workshops/:slug/watch',
    expect: anyWriter(204),
    request: async (w) => ({ url: `/api/workshops/${w.workshop}/watch` }),
  },
  {
    route: 'POST /api/notifications/read',
    expect: anyWriter(200),
    request: async () => ({ url: '/api/notifications/read', payload: { all: true } }),
  },
  {
    route: 'PUT /api/me/digest',
    expect: anyWriter(200),
    request: async () => ({ url: '/api/me/digest', payload: { digest: 'weekly' } }),
  },
  // ── moderation ──
  {
    route: 'POST /api/reports',
    expect: anyWriter(201),
    request: async (w) => ({
      url: '/api/reports',
      payload: { subject: 'design', id: w.design.replace('/api/designs/', ''), reason: 'spam' },
    }),
  },
  // ── discussions ──
  {
    route: 'POST /api/designs/:owner/:slug/discussions',
    expect: anyWriter(201),
    request: async (w) => ({
      url: `${w.design}/discussions`,
      payload: { kind: 'question', title: 'Grade?', body: 'x' },
    }),
  },
  {
    route: 'POST /api/discussions/:id/replies',
    expect: anyWriter(201),
    request: async (w) => ({
      url: `/api/discussions/${(await freshDiscussion(w)).id}/replies`,
      payload: { body: 'y' },
    }),
  },
  {
    route: 'PATCH /api/discussions/:id',
    expect: { anonymous: 401, other: 200, member: 403, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => ({ url: `/api/discussions/${(await freshDiscussion(w)).id}`, payload: { body: 'edited' } }),
  },
  {
    route: 'PATCH /api/discussions/:id/replies/:reply',
    expect: { anonymous: 401, other: 200, member: 403, maintainer: 403, owner: 403, admin: 403 },
    request: async (w) => {
      const d = await freshDiscussion(w);
      return { url: `/api/discussions/${d.id}/replies/${d.reply}`, payload: { body: 'edited' } };
    },
  },
  ...(['hide', 'unhide'] as const).map((action) => ({
    route: `POST /api/discussions/:id/replies/:reply/${action}`,
    expect: { anonymous: 401, other: 403, member: 403, maintainer: 200, owner: 200, admin: 200 },
    request: async (w: World) => {
      const d = await freshDiscussion(w);
      return { url: `/api/discussions/${d.id}/replies/${d.reply}/${action}` };
    },
  })),
  {
    route: 'POST /api/discussions/:id/answer',
    expect: leadsOnly(200),
    request: async (w) => {
      const d = await freshDiscussion(w);
      return { url: `/api/discussions/${d.id}/answer`, payload: { reply: d.reply } };
    },
  },
  {
    route: 'POST /api/discussions/:id/fixed',
    expect: leadsOnly(200),
    request: async (w) => ({
      url: `/api/discussions/${(await freshDiscussion(w)).id}/fixed`,
      payload: { version: '1.0.0' },
    }),
  },
  ...(['close', 'reopen', 'lock', 'unlock', 'pin', 'unpin'] as const).map((action) => ({
    route: `POST /api/discussions/:id/${action}`,
    expect: leadsOnly(200),
    request: async (w: World) => ({ url: `/api/discussions/${(await freshDiscussion(w)).id}/${action}` }),
  })),
  {
    route: 'POST /api/admin/reports/:id/resolve',
    expect: { anonymous: 401, other: 403, member: 403, maintainer: 403, owner: 403, admin: 200 },
    request: async (w) => {
      const r = check(
        await w.t.app.inject({
          method: 'POST',
          url: '/api/reports',
          headers: w.other.auth,
          payload: { subject: 'design', id: w.design.replace('/api/designs/', ''), reason: 'spam' },
        }),
        'report',
      );
      return { url: `/api/admin/reports/${r.id}/resolve`, payload: { action: 'dismiss' } };
    },
  },
];

/** The account of `bob` at another instance, made as a received report makes it, with a session it was never given. */
async function remoteActorSession(t: TestApp): Promise<{ auth: { authorization: string } }> {
  const bob = await ensureRemoteOwner(t.deps.db.db, 'bob', 'peer.example');
  const token = `ands_${randomBytes(24).toString('base64url')}`;
  await t.deps.db.db.insert(sessions).values({
    tokenHash: createHash('sha256').update(token).digest('hex'),
    userId: bob.id,
    expiresAt: new Date(Date.now() + 86400_000),
  });
  return { auth: { authorization: `Bearer ${token}` } };
}

describe('authorization matrix', () => {
  let w: World;

  beforeAll(async () => {
    const t = await createTestApp('pglite');
    const admin = await registerUser(t.app); // the first account is the instance admin
    const [owner, maintainer, member, other, workshopAdmin] = [
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
      await registerUser(t.app),
    ];
    w = {
      t,
      remote: await remoteActorSession(t),
      admin,
      owner,
      maintainer,
      member,
      other,
      workshopAdmin,
      design: '',
      workshop: '',
      proposal: '',
    };
    await createDesign(t.app, owner, 'press');
    w.design = `/api/designs/${owner.handle}/press`;
    check(
      await t.app.inject({
        method: 'POST',
        url: `${w.design}/maintainers`,
        headers: owner.auth,
        payload: { handle: maintainer.handle },
      }),
      'maintainer',
    );
    check(
      await publish(
        t.app,
        owner,
        owner.handle,
        'press',
        { version: '1.0.0' },
        [{ path: 'README.md', bytes: '# Press' }],
        { name: 'bom.csv', bytes: bomCsv },
      ),
      'publish',
    );
    w.workshop = await freshWorkshop(w);
    w.proposal = await freshProposal(w);
  }, 120_000);
  afterAll(async () => {
    await w?.t.close();
  });

  it('has a row for every state-changing route', () => {
    const changing = w.t.app.registeredRoutes
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map((r) => `${r.method} ${r.url}`);
    const covered = new Set(rows.map((r) => r.route));
    expect(changing.filter((r) => !covered.has(r))).toEqual([]);
    // and no stale rows for routes that no longer exist
    expect(rows.map((r) => r.route).filter((r) => !changing.includes(r))).toEqual([]);
  });

  it.each(rows.map((r) => [r.route, r] as const))(
    '%s',
    async (_route, row) => {
      const got: Partial<Record<Role, number>> = {};
      const method = row.route.split(' ')[0]!;
      for (const role of roles) {
        const cell = await row.request(w, role);
        const auth = role === 'anonymous' ? {} : (cell.auth ?? w[role].auth);
        let res;
        if (cell.form) {
          const { payload, headers } = await formPayload(cell.form);
          res = await w.t.app.inject({
            method: method as any,
            url: cell.url,
            headers: { ...headers, ...auth },
            payload,
          });
        } else {
          res = await w.t.app.inject({
            method: method as any,
            url: cell.url,
            headers: auth,
            ...(cell.payload !== undefined ? { payload: cell.payload as any } : {}),
          });
        }
        got[role] = res.statusCode;
        if (res.statusCode >= 400) expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
      expect(got).toEqual({ ...row.expect, remote: 401 });
    },
    60_000,
  );
});
