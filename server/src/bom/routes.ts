// HTTP routes of the BOM: a version's BOM scaled/flattened/costed and exported, cut list, parse preview.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalid, msg, notFound, overLimit } from '../errors.js';
import type { BomQuery, CutlistQuery, DesignParams } from '../schema-types.js';
import { loadBom } from './store.js';
import { bomView, parseRates } from './kernel/view.js';
import { exportBom } from './kernel/export.js';
import { cutList } from './kernel/cutlist.js';
import { toMillimetres } from './kernel/units.js';
import { mappingReport } from './kernel/parse.js';
import { maxBomBytes, parseBomOrProblem } from './publish-hook.js';
import { bomChecksum } from './kernel/checksum.js';
import { regionalSubstitutions } from '../builds/field.js';
import { replyLocale } from '../locales/reply-locale.js';
import { bomWarningsIn } from './warning-text.js';
import { jsonOrTextReply } from '../schemas.js';

type VersionParams = DesignParams & { version: string };

function lengthMm(text: string, field: string): string {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)$/.exec(text.trim());
  const mm = m ? toMillimetres(m[1], m[2] || 'mm') : undefined;
  if (!mm) throw invalid.length(field, text, `/${field}`);
  return mm;
}

export async function bomRoutes(app: FastifyInstance) {
  const db = app.deps.db.db;

  /** The BOM of the request's version (resolved by design-route.ts), or 404. */
  async function versionBom({ design: d, version: v }: FastifyRequest) {
    const bom = await loadBom(db, v.id);
    if (!bom) throw notFound(msg('notFound.bom', { ref: `${d.ownerHandle}/${d.slug}@${v.version}` }));
    return { d, v, bom };
  }

  app.get<{ Params: VersionParams; Querystring: BomQuery }>(
    '/api/designs/:owner/:slug/versions/:version/bom',
    {
      schema: {
        tags: ['bom'],
        summary: 'The BOM for N units: scaled, optionally flattened, costed; json, csv or tsv',
        querystring: { $ref: 'bom-query#' },
        response: {
          200: jsonOrTextReply(
            'bom-view#',
            ['text/csv', 'text/tab-separated-values'],
            'The BOM as JSON, or as a CSV/TSV file with a header row (format=csv|tsv)',
          ),
        },
      },
    },
    async (req, reply) => {
      const { d, v, bom } = await versionBom(req);
      const q = req.query;
      const rates = q.rates ? parseRates(q.rates) : undefined;
      if (q.rates && !rates) throw invalid.rates('/rates');
      const view = bomView(bom.lines, {
        units: q.units ?? 1,
        flatten: q.flatten ?? false,
        currency: q.currency,
        rates,
      });
      if (q.format === 'csv' || q.format === 'tsv') {
        const name = `${d.slug}-${v.version}-bom${q.units && q.units !== 1 ? `-x${q.units}` : ''}.${q.format}`;
        reply.type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'text/tab-separated-values; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${name}"`);
        reply.header('x-bom-checksum', bom.checksum);
        return exportBom(view.lines, q.format, { checksum: bom.checksum });
      }
      // a workshop scaling the BOM in its country sees what approved builds there substituted
      const regional = q.region ? await regionalSubstitutions(db, v.id, q.region) : undefined;
      return {
        ...(regional ? { region: regional } : {}),
        owner: d.ownerHandle,
        slug: d.slug,
        version: v.version,
        units: q.units ?? 1,
        flatten: q.flatten ?? false,
        lines: view.lines,
        totals: view.totals,
        checksum: bom.checksum,
        warnings: bomWarningsIn([...bom.warnings, ...view.warnings], replyLocale(req, reply)),
        mapping: bom.mapping,
        format: bom.format,
      };
    },
  );

  app.get<{ Params: VersionParams; Querystring: CutlistQuery }>(
    '/api/designs/:owner/:slug/versions/:version/bom/cutlist',
    {
      schema: {
        tags: ['bom'],
        summary: 'Cut list: stock-length lines packed into bars (first-fit decreasing)',
        querystring: { $ref: 'cutlist-query#' },
        response: { 200: { $ref: 'cutlist#' } },
      },
    },
    async (req, reply) => {
      const { bom } = await versionBom(req);
      const stockMm = lengthMm(req.query.stock ?? '6000mm', 'stock');
      const kerfMm = lengthMm(req.query.kerf ?? '3mm', 'kerf');
      const list = cutList(bom.lines, { units: req.query.units ?? 1, stockMm, kerfMm });
      return {
        units: req.query.units ?? 1,
        stockMm,
        kerfMm,
        checksum: bom.checksum,
        ...list,
        warnings: bomWarningsIn(list.warnings, replyLocale(req, reply)),
      };
    },
  );

  app.post(
    '/api/bom/parse',
    {
      schema: {
        tags: ['bom'],
        summary: 'Preview how a BOM file would import: lines, column mapping, warnings (nothing stored)',
        consumes: ['multipart/form-data'],
        response: { 200: { $ref: 'bom-parse-result#' } },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('unsupported-file', msg('bom.sendMultipart'));
      // bounded while streaming: a larger file is refused (413) without being read into memory
      const part = await req.file({ limits: { fileSize: maxBomBytes } });
      if (!part || part.fieldname !== 'bom')
        throw new AppError('validation', msg('bom.sendOnePart'), {
          errors: [{ field: 'bom', message: msg('fields.required') }],
        });
      // stop at the limit rather than let busboy read the rest of the part first
      part.file.once('limit', () => part.file.destroy(overLimit.bom(maxBomBytes)));
      const bytes = await part.toBuffer();
      const parsed = parseBomOrProblem(bytes, part.filename || 'bom.csv');
      return {
        lines: parsed.lines,
        mapping: mappingReport(parsed),
        format: parsed.format,
        encoding: parsed.encoding,
        warnings: bomWarningsIn(parsed.warnings, replyLocale(req, reply)),
        checksum: bomChecksum(parsed.lines),
      };
    },
  );
}
