// Names for the API replies the pages read. Every reply shape is generated from the server's schemas/ (api-schema.ts,
// from /api/openapi.json by `npm run gen:api-types`): nothing here copies a server type by hand, so a field the server
// adds, renames or drops shows up when the web app is type-checked.
import type { components } from './api-schema.js';

type Schemas = components['schemas'];

export type Problem = Schemas['problem'];
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

export type Licenses = Schemas['licenses'];

/** A design as GET /api/designs/{owner}/{slug} answers it, and as lists and searches give their items. */
export type Design = Schemas['design'];
export type DesignList = Schemas['design-list'];
export type Facets = DesignList['facets'];

export type EventTicket = Schemas['event-ticket'];
export type LicenseFlag = Schemas['license-flag'];
export type UpstreamStatus = Schemas['upstream-notice'];
export type Proposal = Schemas['proposal'];
export type ProposalList = Schemas['proposal-list'];
export type ProposalComment = Schemas['proposal-comment-view'];

export type Feed = Schemas['feed'];
export type FeedItem = Feed['items'][number];

export type VersionFile = Schemas['version-file'];
export type PipelineState = VersionFile['pipeline']['state'];
export type MeshFacts = NonNullable<VersionFile['facts']>;
export type VersionList = Schemas['version-list'];
export type VersionSummary = VersionList['items'][number];
export type VersionDocument = Schemas['version-document'];
/** A circuit board of a version, and where its parts sit (GET …/boards/{id}/placements). */
export type VersionBoard = Schemas['version-board'];
export type BoardPlacements = Schemas['board-placements'];
/** A translation of a version's instructions as the version document lists it; with its text from …/translations/{lang}. */
export type VersionTranslation = Schemas['version-translation'];
export type TranslationDocument = Schemas['translation-document'];
export type SourceChangeRow = NonNullable<TranslationDocument['sourceChanges']>['rows'][number];

/** A BOM line as GET …/bom shows it: quantities for the requested units, with quantityPer, orderQuantity, lineCost. */
export type BomLine = Schemas['bom-view-line'];
/** A BOM line as stored: a parse preview's or a BOM diff's. */
export type StoredBomLine = Schemas['bom-line'];
export type BomSupplier = Schemas['bom-supplier'];
export type BomWarning = Schemas['bom-warning'];
export type Bom = Schemas['bom-view'];
export type BomTotals = Bom['totals'];
export type BomParseResult = Schemas['bom-parse-result'];

export type CutList = Schemas['cutlist'];
export type CutGroup = CutList['groups'][number];
export type StockBar = CutGroup['bars'][number];

export type FieldData = Schemas['field-data'];
export type FieldSubstitution = FieldData['substitutions'][number];
export type FieldCost = FieldData['cost'][number];

export type Workshop = Schemas['workshop'];
export type WorkshopSummary = Schemas['workshop-summary'];

export type BuildSummary = Schemas['build-report-summary'];
export type BuildReportList = Schemas['build-report-list'];
export type BuildReport = Schemas['build-report-document'];
export type BuildPhoto = BuildReport['photos'][number];
export type BuildLine = Schemas['build-line'];

export type ApiToken = Schemas['api-token'];

export type Me = Schemas['me'];

/** One part across designs (GET /api/parts). */
export type PartHits = Schemas['part-hits'];
export type PartHit = PartHits['items'][number];
export type ApiTokenList = Schemas['api-token-list'];

export type WorkshopList = Schemas['workshop-list'];
export type WorkshopBuildable = Schemas['workshop-buildable'];

export type Compare = Schemas['compare'];
export type BomDiff = NonNullable<Compare['bom']>;

/** What the BOM table shows: a view line (GET …/bom) or a stored one (a parse preview), which lacks the view's sums. */
export type ShownBomLine = Omit<BomLine, 'quantity' | 'quantityPer' | 'children'> & {
  quantity: BomLine['quantity'] | StoredBomLine['quantity'];
  quantityPer?: BomLine['quantityPer'];
  children?: ShownBomLine[];
};

export type FederationOutbox = Schemas['federation-outbox'];
export type FederationOutboxItem = Schemas['federation-outbox-item'];
export type FederationOutboxRetried = Schemas['federation-outbox-retried'];
export type UserProfile = Schemas['user-profile'];
export type AbuseReportCreate = Schemas['abuse-report-create'];
export type UserProfileAvatar = Schemas['user-profile-avatar'];

/** GET /api/notifications: the reader's own, newest first, and how many are unread. */
export type NotificationList = Schemas['notification-list'];
export type NotificationItem = Schemas['notification'];
