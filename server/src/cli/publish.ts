// `andecha publish ./folder`: creates the design when missing, skips files the server already holds, and streams
// the rest with a progress bar per file and one overall.
import cliProgress from 'cli-progress';
import { slugify } from '../interop/project.js';
import type { ApiClient, MultipartPart } from './client.js';
import { readLocalVersion, sha256File, slugHint, type LocalFile } from './folder.js';
import { CliError, formatBytes, type Output } from './output.js';
import { validateLocalVersion } from './validate.js';

export interface PublishResult {
  owner: string;
  slug: string;
  version: string;
  createdDesign: boolean;
  uploaded: { path: string; size: number }[];
  skipped: { path: string; size: number }[];
  bom: boolean;
}

async function ensureDesign(
  client: ApiClient,
  owner: string,
  slug: string,
  manifest: Record<string, unknown>,
  mine: boolean,
): Promise<boolean> {
  const res = await client.raw('GET', `/api/designs/${owner}/${slug}`);
  if (res.ok) return false;
  if (res.status !== 404) await client.json('GET', `/api/designs/${owner}/${slug}`); // throws with the problem's detail
  if (!mine)
    throw new CliError(`Design ${owner}/${slug} does not exist, and only your own designs are created on publish`);
  await client.json('POST', '/api/designs', {
    slug,
    title: String(manifest.title ?? slug).slice(0, 200),
    ...(typeof manifest.summary === 'string' ? { summary: manifest.summary.slice(0, 2000) } : {}),
    ...(typeof manifest.category === 'string' ? { category: manifest.category } : {}),
    ...(Array.isArray(manifest.tags) ? { tags: manifest.tags } : {}),
    ...(manifest.licenses ? { licenses: manifest.licenses } : {}),
  });
  return true;
}

export async function publishFolder(
  client: ApiClient,
  dir: string,
  designArg: string | undefined,
  out: Output,
): Promise<PublishResult> {
  const local = readLocalVersion(dir);
  const report = validateLocalVersion(local);
  if (!report.ok)
    throw new CliError(
      `${dir} is not ready to publish:\n${report.errors.map((e) => `  - ${e.where}: ${e.message}`).join('\n')}`,
    );
  const manifest = JSON.parse(local.manifestText);
  const me = await client.json<{ handle: string }>('GET', '/api/me');
  const [owner, slug] = designArg
    ? designArg.split('/')
    : [me.handle, slugify(typeof manifest.slug === 'string' ? manifest.slug : slugHint(local.dir))];
  if (!owner || !slug) throw new CliError(`--design must be owner/slug, got "${designArg}"`, 2);
  const createdDesign = await ensureDesign(client, owner, slug, manifest, owner === me.handle);

  for (const f of local.files) f.sha256 = await sha256File(f.abs);
  const { present } = await client.json<{ present: string[] }>('POST', '/api/blobs/exists', {
    sha256s: [...new Set(local.files.map((f) => f.sha256!))],
  });
  const onServer = new Set(present);
  const skipped = local.files.filter((f) => onServer.has(f.sha256!));
  const toSend = local.files.filter((f) => !onServer.has(f.sha256!));
  for (const f of skipped) out.note(`skipped ${f.path} (${formatBytes(f.size)}, already on the server)`);

  const parts: MultipartPart[] = [{ name: 'manifest', value: local.manifestText }];
  if (skipped.length)
    parts.push({ name: 'existing', value: JSON.stringify(skipped.map((f) => ({ path: f.path, sha256: f.sha256 }))) });
  const uploads: LocalFile[] = [...(local.bom ? [local.bom] : []), ...toSend];
  for (const f of uploads)
    parts.push({ name: f === local.bom ? 'bom' : 'files', file: f.abs, size: f.size, filename: f.path });

  const total = uploads.reduce((s, f) => s + f.size, 0);
  const tty = process.stderr.isTTY && !out.quiet && !out.json;
  const multi = tty
    ? new cliProgress.MultiBar(
        {
          stream: process.stderr,
          format: ' {bar} {percentage}% | {name} | {done}/{size}',
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const overall = multi?.create(total, 0, { name: 'total', done: '0 B', size: formatBytes(total) });
  const bars = new Map<number, cliProgress.SingleBar>();
  const sent = new Map<number, number>();
  let sentTotal = 0;
  const firstFilePart = parts.length - uploads.length;
  const result = await client.multipart(`/api/designs/${owner}/${slug}/versions`, parts, (i, n) => {
    const f = uploads[i - firstFilePart];
    const now = (sent.get(i) ?? 0) + n;
    sent.set(i, now);
    sentTotal += n;
    if (multi) {
      let bar = bars.get(i);
      if (!bar) bars.set(i, (bar = multi.create(f.size, 0, { name: f.path, done: '0 B', size: formatBytes(f.size) })));
      bar.update(now, { done: formatBytes(now) });
      overall!.update(sentTotal, { done: formatBytes(sentTotal) });
    } else if (now === f.size) {
      out.note(`uploaded ${f.path} (${formatBytes(f.size)}) [${formatBytes(sentTotal)}/${formatBytes(total)}]`);
    }
  });
  multi?.stop();
  return {
    owner,
    slug,
    version: result.version,
    createdDesign,
    bom: !!local.bom,
    uploaded: toSend.map((f) => ({ path: f.path, size: f.size })),
    skipped: skipped.map((f) => ({ path: f.path, size: f.size })),
  };
}
