// The email digest against a real SMTP server (smtp-server on 127.0.0.1): one email per person with their unread
// notifications, in their language, with links; nothing twice; each person's cadence; nothing when unconfigured; an
// SMTP server that is down leaves everything unmarked for the next run; two processes running the digest at once
// on one database email each person once. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { databaseKinds } from '../helpers/databases.js';
import {
  createDesign,
  createSecondTestApp,
  createTestApp,
  publish,
  registerUser,
  type TestApp,
  type TestUser,
} from '../helpers/app.js';
import { loadConfig } from '../../server/src/config.js';
import { adminProgram } from '../../server/src/admin.js';

interface Received {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), as nodemailer writes a subject that is not ASCII. */
const decodeWords = (s: string) =>
  s.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding))
    return Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

/** The headers, and the text and HTML parts of a multipart/alternative message. */
function parseMessage(raw: string, to: string[]): Received {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(unfolded)?.[1] ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(unfolded)![1];
  const parts = rest
    .join('\n\n')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [partHead, ...partBody] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
      const encoding = /content-transfer-encoding: (\S+)/i.exec(partHead)?.[1] ?? '7bit';
      return {
        type: /content-type: ([^;\r\n]+)/i.exec(partHead)![1],
        text: decodeBody(partBody.join('\n\n'), encoding),
      };
    });
  return {
    to,
    subject: decodeWords(header('Subject')),
    messageId: header('Message-ID'),
    text: parts.find((p) => p.type === 'text/plain')!.text,
    html: parts.find((p) => p.type === 'text/html')!.text,
  };
}

/** An SMTP sink: every message it accepts, parsed. */
class Sink {
  received: Received[] = [];
  private server: SMTPServer | undefined;
  constructor(readonly port: number) {}
  async start() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.received.push(
            parseMessage(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }
  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
  to(address: string) {
    return this.received.filter((m) => m.to.includes(address));
  }
}

describe('digest configuration', () => {
  it('is off unless an SMTP server and a cadence are named', () => {
    expect(loadConfig({}).digest).toBe('off');
    expect(loadConfig({ ANDECHA_SMTP_URL: 'smtp://mail.example:587' }).digest).toBe('off');
    expect(loadConfig({ ANDECHA_SMTP_URL: 'smtp://mail.example:587', ANDECHA_DIGEST: 'weekly' }).digest).toBe('weekly');
    expect(() => loadConfig({ ANDECHA_DIGEST: 'daily' })).toThrow(/needs ANDECHA_SMTP_URL/);
    expect(() => loadConfig({ ANDECHA_SMTP_URL: 'http://mail.example', ANDECHA_DIGEST: 'daily' })).toThrow(/smtp/);
    expect(() => loadConfig({ ANDECHA_SMTP_URL: 'smtp://m.example', ANDECHA_DIGEST: 'hourly' })).toThrow(/off, daily/);
  });
});

describe.each(databaseKinds)('email digest on %s', (kind) => {
  // each database its own port in 47300-47399: the two describe blocks may run one after the other in one file
  const sink = new Sink(kind === 'pglite' ? 47331 : 47332);
  let t: TestApp;
  let plain: TestApp;
  let ana: TestUser;
  let bea: TestUser;
  let cai: TestUser;
  const origin = 'https://andecha.example';
  const undigested = async (handle: string) =>
    (
      await t.deps.db.raw<{ n: number }>(
        `select count(*)::int as n from notifications n join users u on u.id = n.user_id
         where u.handle = $1 and n.digested_at is null and n.read = false`,
        [handle],
      )
    ).rows[0].n;
  const fork = async (by: TestUser, slug: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/designs/ana/press/forks',
      headers: by.auth,
      payload: { version: '1.0.0', slug },
    });
    expect(r.statusCode).toBe(201);
  };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp(kind, {
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
      mailFrom: 'Andecha <digest@andecha.example>',
      digest: 'daily',
      publicUrl: origin,
    });
    plain = await createTestApp(kind);
    ana = await registerUser(t.app, 'ana');
    bea = await registerUser(t.app, 'bea');
    cai = await registerUser(t.app, 'cai');
    const es = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: ana.auth, payload: { locale: 'es' } });
    expect(es.statusCode).toBe(200);
    await createDesign(t.app, ana, 'press');
    await publish(t.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# Press\n' }]);
    // bea watches the press and hears of its next version; ana hears of bea's fork
    expect(
      (await t.app.inject({ method: 'PUT', url: '/api/designs/ana/press/watch', headers: bea.auth })).statusCode,
    ).toBe(204);
    await fork(bea, 'press');
    await publish(t.app, ana, 'ana', 'press', { version: '1.1.0' }, [{ path: 'README.md', bytes: '# Press 2\n' }]);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await plain?.close();
    await sink.stop();
  });

  it('is off on an instance without an SMTP server: no schedule, the admin command says so', async () => {
    expect(plain.deps.digest).toBeUndefined();
    const settings = await t.app.inject({ url: '/api/me/digest', headers: ana.auth });
    expect(settings.json()).toEqual({ digest: null, instance: 'daily' });
    const u = await registerUser(plain.app, 'dan');
    expect((await plain.app.inject({ url: '/api/me/digest', headers: u.auth })).json()).toEqual({
      digest: null,
      instance: 'off',
    });
    const lines: string[] = [];
    const { program, exitCode } = adminProgram(plain.deps, (l) => lines.push(l));
    await program.parseAsync(['digest', '--now'], { from: 'user' });
    expect(exitCode()).toBe(1);
    expect(lines[0]).toMatch(/the email digest is off/);
    expect(sink.received).toEqual([]);
  });

  it('emails each person their unread notifications once, in their language, with links', async () => {
    const report = await t.deps.digest!.run();
    expect(report).toEqual({ sent: 2, refused: 0 });
    expect(sink.received.length).toBe(2);

    const [toAna] = sink.to('ana@example.org');
    expect(toAna.subject).toBe('1 notificación nueva en andecha.example');
    expect(toAna.text).toContain('Hola, ana:');
    expect(toAna.text).toContain('bea bifurcó tu diseño');
    expect(toAna.text).toContain(`${origin}/bea/press`);
    expect(toAna.html).toContain(`<a href="${origin}/bea/press">`);
    expect(toAna.html).toContain('lang="es"');
    expect(toAna.text).toContain(`${origin}/settings/profile#digest`);
    expect(toAna.messageId).toMatch(/^<digest\.[0-9a-f]{32}@andecha\.example>$/);

    const [toBea] = sink.to('bea@example.org');
    expect(toBea.subject).toBe('1 new notification on andecha.example');
    expect(toBea.text).toContain('Design press 1.1.0 is out');
    expect(toBea.html).toContain(`<a href="${origin}/ana/press/1.1.0">`);
    expect(await undigested('ana')).toBe(0);
    expect(await undigested('bea')).toBe(0);
  });

  it('sends nothing twice, and waits a day before the next digest unless asked now', async () => {
    expect(await t.deps.digest!.run()).toEqual({ sent: 0, refused: 0 });
    await fork(cai, 'press');
    // ana had her digest less than a day ago: the hourly run leaves the new one for tomorrow
    expect(await t.deps.digest!.run()).toEqual({ sent: 0, refused: 0 });
    expect(await undigested('ana')).toBe(1);
    const lines: string[] = [];
    const { program, exitCode } = adminProgram(t.deps, (l) => lines.push(l));
    await program.parseAsync(['digest', '--now'], { from: 'user' });
    expect(exitCode()).toBe(0);
    expect(lines).toEqual(['sent 1 digest emails']);
    const toAna = sink.to('ana@example.org');
    expect(toAna.length).toBe(2);
    expect(toAna[1].text).toContain(`${origin}/cai/press`);
    expect(toAna[1].text).not.toContain(`${origin}/bea/press`);
    expect(sink.received.length).toBe(3);
  });

  it('follows each person’s choice: never, and leaves read notifications out', async () => {
    const never = await t.app.inject({
      method: 'PUT',
      url: '/api/me/digest',
      headers: bea.auth,
      payload: { digest: 'never' },
    });
    expect(never.json()).toEqual({ digest: 'never', instance: 'daily' });
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/me/digest',
      headers: bea.auth,
      payload: { digest: 'hourly' },
    });
    expect(bad.statusCode).toBe(400);
    await publish(t.app, ana, 'ana', 'press', { version: '1.2.0' }, [{ path: 'README.md', bytes: '# Press 3\n' }]);
    await fork(bea, 'press-two');
    // ana read hers in the app: nothing to email
    await t.app.inject({ method: 'POST', url: '/api/notifications/read', headers: ana.auth, payload: { all: true } });
    expect(await t.deps.digest!.run({ ignoreCadence: true })).toEqual({ sent: 0, refused: 0 });
    expect(sink.received.length).toBe(3);
    expect(await undigested('bea')).toBe(1);
  });

  it('with the SMTP server down marks nothing, and the next run sends', async () => {
    await t.app.inject({ method: 'PUT', url: '/api/me/digest', headers: bea.auth, payload: { digest: null } });
    await sink.stop();
    const down = await t.deps.digest!.run({ ignoreCadence: true });
    expect(down.sent).toBe(0);
    expect(down.serverError).toMatch(/ECONNREFUSED|connect/i);
    expect(await undigested('bea')).toBe(1);
    await sink.start();
    expect(await t.deps.digest!.run({ ignoreCadence: true })).toEqual({ sent: 1, refused: 0 });
    const toBea = sink.to('bea@example.org');
    expect(toBea.length).toBe(2);
    expect(toBea[1].text).toContain('Design press 1.2.0 is out');
    expect(await undigested('bea')).toBe(0);
  });
});

describe.each(databaseKinds)('email digest run lock on %s', (kind) => {
  const sink = new Sink(kind === 'pglite' ? 47333 : 47334);
  let one: TestApp;
  let two: TestApp;
  let ana: TestUser;
  const watchers = ['bo', 'cy', 'di', 'ed', 'fa', 'gu', 'hu', 'io'];

  beforeAll(async () => {
    await sink.start();
    one = await createTestApp(kind, {
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
      mailFrom: 'Andecha <digest@andecha.example>',
      digest: 'daily',
      publicUrl: 'https://andecha.example',
    });
    // a second process on the same database, with its own digest schedule, pool and SMTP connection
    two = await createSecondTestApp(one);
    ana = await registerUser(one.app, 'ana');
    await createDesign(one.app, ana, 'press');
    await publish(one.app, ana, 'ana', 'press', { version: '1.0.0' }, [{ path: 'README.md', bytes: '# Press\n' }]);
    for (const handle of watchers) {
      const u = await registerUser(one.app, handle);
      const w = await one.app.inject({ method: 'PUT', url: '/api/designs/ana/press/watch', headers: u.auth });
      expect(w.statusCode).toBe(204);
    }
  }, 180_000);
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await sink.stop();
  });

  const newVersion = async (version: string) => {
    const r = await publish(one.app, ana, 'ana', 'press', { version }, [
      { path: 'README.md', bytes: `# ${version}\n` },
    ]);
    expect(r.statusCode).toBe(201);
  };

  it('two processes running at once email each person once', async () => {
    await newVersion('1.1.0');
    const [a, b] = await Promise.all([one.deps.digest!.run(), two.deps.digest!.run()]);
    expect(a.sent + b.sent).toBe(watchers.length);
    expect(a.refused + b.refused).toBe(0);
    expect(sink.received.length).toBe(watchers.length);
    for (const handle of watchers) expect(sink.to(`${handle}@example.org`).length, handle).toBe(1);
    // and the period is claimed: both again, with something new for everyone, send nothing before tomorrow
    await newVersion('1.2.0');
    const again = await Promise.all([one.deps.digest!.run(), two.deps.digest!.run()]);
    expect(again.map((r) => r.sent)).toEqual([0, 0]);
    // `--now` in both at once: still one email each
    const now = await Promise.all([
      one.deps.digest!.run({ ignoreCadence: true }),
      two.deps.digest!.run({ ignoreCadence: true }),
    ]);
    expect(now[0].sent + now[1].sent).toBe(watchers.length);
    for (const handle of watchers) expect(sink.to(`${handle}@example.org`).length, handle).toBe(2);
  });

  it('a person whose email failed is released: the next hourly run sends it', async () => {
    const claims = async () =>
      (
        await one.deps.db.raw<{ handle: string; claimed: string | null; sending: string | null }>(
          `select handle, digest_claimed_at::text as claimed, digest_sending_until::text as sending from users
           where handle = any($1) order by handle`,
          [watchers],
        )
      ).rows;
    // as if their last digest were two days ago
    await one.deps.db.raw(
      `update notifications set digested_at = digested_at - interval '2 days' where digested_at is not null`,
    );
    await one.deps.db.raw(`update users set digest_claimed_at = digest_claimed_at - interval '2 days'`);
    const before = await claims();
    await newVersion('1.3.0');
    await sink.stop();
    const down = await Promise.all([one.deps.digest!.run(), two.deps.digest!.run()]);
    expect(down.map((r) => r.sent)).toEqual([0, 0]);
    expect(down.some((r) => r.serverError)).toBe(true);
    // whoever a run took is put back as it was: claimable, nobody left mid-send
    expect(await claims()).toEqual(before);
    await sink.start();
    const up = await Promise.all([one.deps.digest!.run(), two.deps.digest!.run()]);
    expect(up[0].sent + up[1].sent).toBe(watchers.length);
    for (const handle of watchers) expect(sink.to(`${handle}@example.org`).length, handle).toBe(3);
  });
});
