// One browser session on a real server for a browser test file: Debian's Chromium through playwright-core, a test
// app listening on 127.0.0.1, and what every journey test needs (screenshots, axe, sign-in, an API user).
// The web app is built once per run by test/global-setup.ts. Skips with a message when /usr/bin/chromium is
// missing, unless REQUIRE_BROWSER=1 (CI), where that is a failure.
import { beforeEach, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { freePort } from '../helpers/free-port.js';
import type { Config } from '../../server/src/config.js';

export const chromiumPath = '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);
export const root = new URL('../..', import.meta.url).pathname;
export const artifacts = join(root, 'test', 'artifacts');
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

if (!haveChromium) {
  const message = `browser tests: ${chromiumPath} is missing (apt-get install -y chromium)`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`${message}; REQUIRE_BROWSER=1 makes this a failure`);
  console.warn(`${message}; skipping`);
}

/**
 * What was still waiting when a step failed: the server's requests (over its sockets) without an answer and the
 * browser's requests without a response, each with its age. A page that never fills in is told apart by it: a
 * request the server never answers, a browser out of connections to the host, or a page that never asked.
 */
const waitingReports = new Set<() => Promise<string>>();
beforeEach(({ onTestFailed }) =>
  onTestFailed(async ({ task }) => {
    const reports = (await Promise.all([...waitingReports].map((report) => report()))).join('\n');
    if (!reports) return;
    console.warn(reports);
    // into the failure itself too: a CI log keeps the failures' summary when the output above it is cut
    for (const error of task.result?.errors ?? []) error.message = `${error.message}\n${reports}`;
  }),
);

function waitingRequests(server: import('node:http').Server, context: BrowserContext): () => Promise<string> {
  const onServer = new Map<object, { what: string; since: number }>();
  server.on('request', (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    onServer.set(req, { what: `${req.method} ${req.url}`, since: Date.now() });
    res.once('close', () => onServer.delete(req));
  });
  const inBrowser = new Map<object, { what: string; since: number }>();
  context.on('request', (r) => inBrowser.set(r, { what: `${r.method()} ${r.url()}`, since: Date.now() }));
  context.on('requestfinished', (r) => inBrowser.delete(r));
  context.on('requestfailed', (r) => inBrowser.delete(r));
  const list = (m: Map<object, { what: string; since: number }>) =>
    [...m.values()]
      .slice(-12)
      .map((w) => `  ${w.what} (${((Date.now() - w.since) / 1000).toFixed(1)} s)`)
      .join('\n') || '  none';
  // what each page shows: an error notice on it and a page that never filled in look alike from a locator
  const shown = () =>
    Promise.all(
      context.pages().map(async (p) => {
        // a page whose renderer is busy never answers: give up on it after 3 s
        const text = await Promise.race([
          p.evaluate(() => document.body?.innerText ?? '').catch((error: Error) => `(unreadable: ${error.message})`),
          new Promise<string>((resolve) => setTimeout(() => resolve('(no answer from the page in 3 s)'), 3000).unref()),
        ]);
        return `  ${p.url()}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`;
      }),
    );
  return async () =>
    `waiting on the server:\n${list(onServer)}\nwaiting in the browser:\n${list(inBrowser)}\npages:\n${(await shown()).join('\n')}`;
}

export interface Account {
  handle: string;
  password: string;
}

export interface BrowserSession {
  t: TestApp;
  base: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Full-page screenshot into test/artifacts/web-NAME.png. */
  shot(name: string, options?: { fullPage?: boolean; page?: Page }): Promise<void>;
  /** axe-core on the page: no serious or critical violations. */
  expectAccessible(p: Page, label: string): Promise<void>;
  /** Registers through the form and lands on / signed in. */
  registerAs(user: Account): Promise<void>;
  signInAs(user: Account): Promise<void>;
  signOut(): Promise<void>;
  /** The account's API token (logged in through the API), for setting the scene without the browser. */
  apiUser(user: Account): Promise<TestUser>;
  close(): Promise<void>;
}

export async function openBrowserSession(
  overrides: Partial<Config> = {},
  viewport = { width: 1280, height: 900 },
): Promise<BrowserSession> {
  mkdirSync(artifacts, { recursive: true });
  const t = await createTestApp('pglite', { runWorker: true, workerThreads: 1, ...overrides });
  // a federated instance names its own port in ANDECHA_PUBLIC_URL: the caller picks it
  await t.app.listen({ port: overrides.port ?? 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.warn(`page error: ${error.message}`));
  const reportWaiting = waitingRequests(t.app.server, context);
  waitingReports.add(reportWaiting);

  const session: BrowserSession = {
    t,
    base,
    browser,
    context,
    page,
    async shot(name, options = {}) {
      await (options.page ?? page).screenshot({
        path: join(artifacts, `web-${name}.png`),
        fullPage: options.fullPage ?? true,
      });
    },
    async expectAccessible(p, label) {
      const axeSource = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
      // evaluated over the DevTools protocol: the app's CSP (script-src 'self') rightly refuses inline scripts
      await p.evaluate(axeSource);
      const violations = (await p.evaluate(async () => {
        const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v: any) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')),
        }));
      })) as { id: string; impact: string; help: string; nodes: string[] }[];
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious, `${label}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
    },
    async registerAs(user) {
      await page.goto(`${base}/register`);
      await page.getByLabel('Handle').fill(user.handle);
      await page.getByLabel('Email').fill(`${user.handle}@example.org`);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${base}/`);
    },
    async signInAs(user) {
      await page.goto(`${base}/login`);
      await page.getByLabel('Handle or email').fill(user.handle);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/`);
    },
    async signOut() {
      const button = page.getByRole('button', { name: 'Sign out' });
      if (!(await button.count())) return;
      await button.click();
      // as a person would: signed out once the header offers Sign in again (the server has ended the session)
      await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    },
    async apiUser(user) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: user.handle, password: user.password },
      });
      if (r.statusCode !== 200) throw new Error(`login ${user.handle}: ${r.statusCode} ${r.body}`);
      const token = r.json().token as string;
      return { ...user, token, auth: { authorization: `Bearer ${token}` } };
    },
    async close() {
      waitingReports.delete(reportWaiting);
      await browser.close();
      await t.close();
    },
  };
  return session;
}

/**
 * A session whose server is a federated instance: on a port of its own that its public URL names, private addresses
 * allowed (its peers are on loopback), its federation queue running.
 */
export async function openFederatedBrowserSession(overrides: Partial<Config> = {}): Promise<BrowserSession> {
  const port = await freePort();
  const session = await openBrowserSession({
    port,
    federation: true,
    federationAllowPrivate: true,
    publicUrl: `http://127.0.0.1:${port}`,
    ...overrides,
  });
  session.t.deps.federation!.start();
  return session;
}

/** The largest standard deviation of the RGB channels of an element's screenshot: near 0 for a blank picture. */
export async function pictureSpread(element: Locator): Promise<number> {
  const pixels = await sharp(await element.screenshot()).stats();
  return Math.max(...pixels.channels.slice(0, 3).map((channel) => channel.stdev));
}

/** True once an <img> has loaded a picture of its own (not a broken image). */
export function imageLoaded(img: Locator): Promise<boolean> {
  return img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0);
}
