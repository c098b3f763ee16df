// Shapes of the API replies the pages read, as DESIGN.md's contract gives them; lenient where the server may add fields.
// The manifest and build-report *bodies* come from schemas/ (see schemas.ts); these are the reply shapes.

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
};

export type LicenseFlag = { field: string; license: string; flag: 'non-commercial' | 'no-derivatives' | 'custom' | 'unknown' | string; message: string };

export type UpstreamStatus = {
  design: string;
  base: string;
  latest: string | null;
  newer: boolean;
  message: string | null;
  compare: string | null;
  latestPublishedAt?: string | null;
};

export type Proposal = {
  id: string;
  design: string;
  from: string | null;
  author: string | null;
  message: string;
  state: 'open' | 'accepted' | 'declined' | string;
  reason?: string | null;
  decidedBy?: string | null;
  decidedAt?: string | null;
  acceptedVersion?: string | null;
  createdAt: string;
  comments?: { id: string; author: string; body: string; createdAt: string }[];
};

export type FeedItem =
  | { type: 'upstream-update'; at: string; design: string; upstream: string; base: string; latest: string; message: string; compare: string }
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

export type VersionSummary = { version: string; state: 'published' | 'yanked'; publishedAt?: string; changelog?: string };

export type VersionDocument = VersionSummary & {
  manifest: Record<string, unknown> & { readme?: string; version?: string };
  files: VersionFile[];
  bom?: { lines?: unknown; checksum?: string; filename?: string | null; sha256?: string };
  pipeline: { state: PipelineState; failedFiles?: number };
  /** what this version dropped from the one before it (safety notes, safety-critical, a licence) */
  warnings?: { field: string; message: string }[];
};

export type BomLine = {
  position?: string | number;
  partNumber?: string | null;
  name?: string | null;
  quantity: string | number;
  unit?: string | null;
  orderQuantity?: string | number | null;
  unitCost?: string | number | null;
  currency?: string | null;
  supplier?: string | { name?: string; url?: string } | null;
  material?: string | null;
  process?: string | null;
  children?: BomLine[];
};

export type BomWarning = { line?: number; column?: string | number; value?: unknown; message: string };

export type Bom = {
  lines: BomLine[];
  totals?: unknown;
  checksum?: string;
  warnings?: BomWarning[];
};

export type CutList = {
  stock?: unknown;
  kerf?: unknown;
  bars?: unknown;
  groups?: unknown;
  items?: unknown;
  waste?: unknown;
  [key: string]: unknown;
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
  byCountry?: { country: string; total: number; approved: number; byOutcome?: Outcomes; hours?: { median?: number | null }; cost?: FieldCost[]; substitutions?: FieldSubstitution[] }[];
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

export type BuildPhoto = { n: number; state: PipelineState; variants?: { large?: string; thumb?: string }; width?: number | null; height?: number | null };

export type BuildReport = BuildSummary & {
  hours?: number | string | null;
  unitsBuilt?: number | null;
  cost?: { amount: string; currency: string } | null;
  lines?: Record<string, unknown>[];
  deviations?: string | null;
  safetyNotes?: string | null;
  notes?: string | null;
  photos?: BuildPhoto[];
  reviews?: { reviewer?: string | { handle: string }; decision: string; comment?: string; createdAt?: string; safetyChecked?: boolean }[];
  bomChecksum?: string;
  safetyCritical?: boolean;
  notesHtml?: string;
};

export type ApiToken = { id: string; name: string; scope: 'read' | 'write'; createdAt?: string; lastUsedAt?: string | null; expiresAt?: string | null };

export type Me = { handle: string; email?: string; admin?: boolean; workshops?: (string | { slug: string; name?: string })[] };

/** One part across designs (GET /api/parts). */
export type PartHit = {
  partNumber: string | null;
  mpn?: string | null;
  name: string;
  usedIn: { owner: string; slug: string; version: string; position: string; quantity: string; unit: string }[];
  usedInCount?: number;
  substitutes?: { name: string; reports: number }[];
};
