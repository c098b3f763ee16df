// The block list from the admin CLI (`npm run admin -- federation block|unblock|blocks`) and what a block does
// to the followers of this instance's designs; the mirror hears of each change (a RecordingSink here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesign, createTestApp, publish, registerUser, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { adminProgram } from '../../server/src/admin.js';
import { addFollower, followersOf } from '../../server/src/federation/followers.js';
import { findDesign } from '../../server/src/registry/designs.js';
import { RecordingSink } from './recording-sink.js';

describe.each(databaseKinds)('blocking instances (%s)', (kind) => {
  let t: TestApp;
  const sink = new RecordingSink();
  beforeAll(async () => {
    t = await createTestApp(kind);
    t.deps.mirror = sink;
  });
  afterAll(() => t?.close());

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const { program, exitCode } = adminProgram(t.deps, (l) => lines.push(l));
    await program.parseAsync(argv, { from: 'user' });
    return { lines, code: exitCode() };
  };

  it('with federation off (the embedded default) no ActivityPub address answers', async () => {
    // GETs fall through to the web app's page, as before federation existed; nothing answers JSON
    for (const url of [
      '/.well-known/webfinger?resource=acct:ana@127.0.0.1',
      '/.well-known/nodeinfo',
      '/ap/actors/ana',
    ]) {
      const r = await t.app.inject({ url, headers: { accept: 'application/activity+json' } });
      expect(String(r.headers['content-type'])).not.toMatch(/json/);
    }
    const follow = await t.app.inject({ method: 'POST', url: '/api/federation/follows', payload: { target: 'x@y' } });
    expect(follow.statusCode).toBe(404);
  });

  it('blocks, lists and unblocks; a block drops that instance as a follower and tells the mirror', async () => {
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    expect(
      (await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'a.stl', bytes: 'solid a' }]))
        .statusCode,
    ).toBe(201);
    const d = await findDesign(t.deps.db.db, 'ana', 'press');
    for (const host of ['bad.example', 'good.example'])
      await addFollower(t.deps.db.db, d.id, {
        actorUri: `https://${host}/ap/actors/_instance`,
        inbox: `https://${host}/ap/inbox`,
        sharedInbox: null,
        instance: host,
      });

    expect(await run('federation', 'block', 'https://Bad.Example/')).toEqual({
      lines: ['bad.example is blocked'],
      code: 0,
    });
    expect((await run('federation', 'block', 'bad.example')).lines).toEqual(['bad.example was blocked already']);
    expect((await followersOf(t.deps.db.db, d.id)).map((f) => f.instance)).toEqual(['good.example']);
    const listed = await run('federation', 'blocks');
    expect(listed.lines).toHaveLength(1);
    expect(listed.lines[0]).toMatch(/^bad\.example\tsince /);
    expect(sink.of('instanceBlocked')).toEqual([{ kind: 'instanceBlocked', instance: 'bad.example', blocked: true }]);

    expect(await run('federation', 'unblock', 'bad.example')).toEqual({
      lines: ['bad.example is no longer blocked'],
      code: 0,
    });
    expect((await run('federation', 'unblock', 'bad.example')).code).toBe(1);
    expect((await run('federation', 'blocks')).lines).toEqual([]);
    expect(sink.of('instanceBlocked').at(-1)).toEqual({
      kind: 'instanceBlocked',
      instance: 'bad.example',
      blocked: false,
    });
    await expect(run('federation', 'block', 'ana@bad.example')).rejects.toThrow(/not an instance name/);
  });
});

describe.each(databaseKinds)('admin hide on a federated instance (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // federation on, its queue not started: what the CLI sends waits in the queue table for the server
    t = await createTestApp(kind, { federation: true, publicUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => t?.close());

  it("queues a takedown Delete for the design's followers", async () => {
    const ana = await registerUser(t.app, 'ana');
    await createDesign(t.app, ana, 'press');
    const d = await findDesign(t.deps.db.db, 'ana', 'press');
    await addFollower(t.deps.db.db, d.id, {
      actorUri: 'https://far.example/ap/actors/_instance',
      inbox: 'https://far.example/ap/inbox',
      sharedInbox: null,
      instance: 'far.example',
    });
    const queued = async () =>
      (await t.deps.db.raw<{ message: unknown }>('select message from federation_queue')).rows.map((r) =>
        JSON.stringify(r.message),
      );
    expect(await queued()).toEqual([]);
    const lines: string[] = [];
    await adminProgram(t.deps, (l) => lines.push(l)).program.parseAsync(['hide', 'ana/press'], { from: 'user' });
    expect(lines).toEqual(['ana/press is hidden']);
    const messages = await queued();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain('Taken down by the moderators of its home instance');
  });
});
