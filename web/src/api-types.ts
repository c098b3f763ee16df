// Shapes of the API replies the pages read, as DESIGN.md's contract gives them; lenient where the server may add fields.
// The manifest and build-report *bodies* come from schemas/ (see schemas.ts); these are the reply shapes. Replies
// whose schemas the server publishes are taken from api-schema.ts (generated from /api/openapi.json), not copied.
import type { components } from './api-schema.js';

type Schemas = components['schemas'];

export type Problem = {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
};

export type ProblemFieldError = {
  field?: string;
  path?: string;
  instancePath?: string;
  line?: number;
  column?: string | number;
  value?: unknown;
  message?: string;
  params?: Record<string, unknown>;
};

export type ListReply<T> = { items: T[]; nextCursor?: string | null; facets?: Facets };

export type FacetBucket = { value: string; count?: number; label?: string };
export type Facets = Record<string, FacetBucket[] | Record<string, number> | string[]>;

export type Licenses = { hardware?: string; documentation?: string; software?: string };

export type DesignRef = { owner: string; slug: string; version?: string };

export type Design = {
  owner: string;
  slug: string;
  title: string;
  summary?: string | null;
  category?: string | null;
  tags?: string[];
  licenses?: Licenses;
  forkedFrom?: DesignRef | string | null;
  latestVersion?: string | null;
  thumbnail?: string | null;
  previewPath?: string | null;
  builds?: { total?: number; approved?: number } | number;
  buildCount?: number;
  forks?: number;
  countries?: string[];
  processes?: string[];
  createdAt?: string;
  updatedAt?: string;
  maintainers?: string[];
  /** search replies: server-escaped HTML with <mark> around matches */
  snippet?: string | null;
  approvedBuilds?: number;
  completeness?: number | null;
  licenseFamily?: string | null;
  readiness?: string | null;
  licenseFlags?: LicenseFlag[];
  upstream?: UpstreamStatus | null;
  /** a design mirrored from another instance: its home there (read-only here) */
  origin?: { url: string; instance: string };
  originGone?: boolean;
  mirror?: { versions: MirrorVersion[] };
};

export type MirrorState = 'queued' | 'fetching' | 'complete' | 'failed';
export type MirrorVersion = { version: string; state: MirrorState; error?: string };

export type LicenseFlag = Schemas['license-flag'];

export type UpstreamStatus = Schemas['upstream-notice'];

export type Proposal = Schemas['proposal'];

export type FeedItem =
  | {
      type: 'upstream-update';
      at: string;
      design: string;
      upstream: string;
      base: string;
      latest: string;
      message: string;
      compare: string;
    }
  | { type: 'fork'; at: string; design: string; fork: string; from: string; by: string }
  | { type: 'proposal'; at: string; design: string; proposal: string; from: string; by: string; state: string }
  | { type: 'build-report'; at: string; design: string; version: string; report: string; outcome: string };

export type PipelineState = 'queued' | 'running' | 'done' | 'failed';

export type MeshFacts = {
  format?: string;
  bytes?: number;
  triangles?: number;
  points?: number;
  parts?: number | string[];
  bbox?: { min: [number, number, number]; max: [number, number, number] };
  area?: number;
  volume?: number;
  watertight?: boolean;
  units?: string;
  /** images: the file's metadata carries GPS coordinates */
  hasGps?: boolean;
};

export type VersionFile = {
  path: string;
  size: number;
  sha256: string;
  mediaType?: string;
  format?: string;
  role?: string;
  pipeline?: { state: PipelineState; error?: string; progress?: number };
  facts?: MeshFacts;
  previews?: { png?: string; webp?: string; glb?: string; thumbnail?: string };
};

export type VersionSummary = {
  version: string;
  state: 'published' | 'yanked';
  publishedAt?: string;
  changelog?: string;
};

export type VersionDocument = VersionSummary & {
  manifest: Record<string, unknown> & { readme?: string; version?: string };
  files: VersionFile[];
  bom?: { lines?: unknown; checksum?: string; filename?: string | null; sha256?: string };
  pipeline: { state: PipelineState; failedFiles?: number };
  /** what this version dropped from the one before it (safety notes, safety-critical, a licence) */
  warnings?: { field: string; message: string }[];
  /** a mirrored version: how far its verified copy got, and whether its origin deleted it */
  mirror?: { state: MirrorState; error?: string };
  originGone?: boolean;
};

/** One supplier of a BOM line: the API sends a list (`suppliers`), the first is the usual source. */
export type BomSupplier = { name: string; partNumber?: string; url?: string };

/**
 * A BOM line as the API sends it: from GET …/bom (quantities for the requested units, with
 * `quantityPer`, `orderQuantity` and `lineCost`) or from a parse preview / diff (the stored line).
 * Decimals are strings so no amount passes through a float.
 */
export type BomLine = {
  position: string;
  refdes?: string[];
  partNumber?: string;
  mpn?: string;
  name: string;
  description?: string;
  /** Exact need for the requested units (view) or per one of the parent (stored line). */
  quantity: string;
  /** View only: quantity per one of the parent. */
  quantityPer?: string;
  unit: string;
  /** View only: what to buy once pack size, minimum order and attrition apply; absent when none apply. */
  orderQuantity?: string;
  unitCost?: string;
  currency?: string;
  /** View only: quantity × unitCost, exact. */
  lineCost?: string;
  suppliers?: BomSupplier[];
  manufacturer?: string;
  material?: string;
  process?: string;
  filePath?: string;
  notes?: string;
  optional?: boolean;
  dnf?: boolean;
  packSize?: string;
  minOrder?: string;
  attrition?: string;
  /** Length of one cut piece, mm. */
  cutLength?: string;
  substitutes?: { name: string; partNumber?: string; material?: string; supplier?: string }[];
  children?: BomLine[];
};

/** A problem in the BOM: import warnings name a file line and column, view warnings a position. */
export type BomWarning = { line?: number; column?: string; value?: string; position?: string; message: string };

export type BomTotals = {
  /** Σ line cost per ISO 4217 currency ("XXX" for prices given without one). */
  byCurrency: Record<string, string>;
  converted?: { currency: string; amount: string };
};

export type Bom = {
  lines: BomLine[];
  totals: BomTotals;
  checksum: string;
  warnings: BomWarning[];
};

export type StockBar = { cuts: { lengthMm: string; position: string }[]; offcutMm: string };

export type CutGroup = {
  key: string;
  name: string;
  material?: string;
  stockMm: string;
  cuts: { lengthMm: string; count: number; position: string }[];
  bars: StockBar[];
  barsNeeded: number;
  wasteMm: string;
};

/** GET …/bom/cutlist: stock lines packed into bars; lines with only a total length in `lengthUnknown`. */
export type CutList = {
  units: number;
  stockMm: string;
  kerfMm: string;
  checksum: string;
  groups: CutGroup[];
  totalWasteMm: string;
  lengthUnknown: { position: string; name: string; material?: string; totalMm: string }[];
  warnings: { position: string; message: string }[];
};

export type Outcomes = { success?: number; partial?: number; failed?: number };

export type FieldSubstitution = {
  position: string;
  partNumber?: string;
  name?: string | null;
  substitute: { name: string; partNumber?: string; material?: string; supplier?: string };
  count: number;
  of: number;
  countries?: Record<string, number>;
  sentence?: string;
};

export type FieldCost = { currency: string; median: string | number; medianPerUnit?: string; reports?: number };

export type FieldData = {
  builds: { total: number; approved: number; byOutcome?: Outcomes };
  hours?: { median?: number | string | null; reports?: number };
  cost?: FieldCost[];
  bomEstimate?: unknown;
  substitutions?: FieldSubstitution[];
  byCountry?: {
    country: string;
    total: number;
    approved: number;
    byOutcome?: Outcomes;
    hours?: { median?: number | null };
    cost?: FieldCost[];
    substitutions?: FieldSubstitution[];
  }[];
};

export type Workshop = {
  slug: string;
  name: string;
  description?: string | null;
  place?: { city?: string; region?: string | null; country?: string; lat?: number | null; lon?: number | null };
  processes?: string[];
  tools?: string[];
  members?: { handle: string; role?: string }[];
  builds?: BuildSummary[];
  createdAt?: string;
};

export type BuildSummary = {
  id: string;
  state?: string;
  outcome?: string;
  design?: DesignRef | string;
  owner?: string;
  slug?: string;
  version?: string;
  workshop?: string | { slug: string; name?: string };
  author?: string | { handle: string };
  submittedAt?: string;
  createdAt?: string;
  age?: string | number;
  ageSeconds?: number;
  ageHours?: number;
};

export type BuildPhoto = {
  n: number;
  state: PipelineState;
  variants?: { large?: string; thumb?: string };
  width?: number | null;
  height?: number | null;
};

export type BuildReport = BuildSummary & {
  hours?: number | string | null;
  unitsBuilt?: number | null;
  cost?: { amount: string; currency: string } | null;
  lines?: Record<string, unknown>[];
  deviations?: string | null;
  safetyNotes?: string | null;
  notes?: string | null;
  photos?: BuildPhoto[];
  reviews?: {
    reviewer?: string | { handle: string };
    decision: string;
    comment?: string;
    createdAt?: string;
    safetyChecked?: boolean;
  }[];
  bomChecksum?: string;
  safetyCritical?: boolean;
  notesHtml?: string;
};

export type ApiToken = Schemas['api-token'];

export type Me = {
  handle: string;
  email?: string;
  admin?: boolean;
  workshops?: (string | { slug: string; name?: string })[];
};

/** One part across designs (GET /api/parts). */
export type PartHit = Schemas['part-hits']['items'][number];
