/* global module */
// The server's layers, bottom to top: a file may import its own layer and the layers under it, never one above.
// Run by `npm run lint` (`npm run lint:layers` alone); the README's "Layers" paragraph says what each layer is for.
// A file belongs to the FIRST layer below whose pattern matches it, so the more specific patterns come first
// in `classify` (routes before their domain, the BOM's store before the pure BOM files).

/** Bottom to top. */
const layers = [
  // pure libraries: bytes in, values out; no database, no blob store, no HTTP, no domain
  [
    'pure',
    '^server/src/(cad|render|bom/kernel|locales)/|^server/src/(errors|schemas|schema-types)\\.ts$|^server/src/electronics/(detect|layers|grouping|guard|facts|render)\\.ts$',
  ],
  // tables: each domain's drizzle table definitions (its own file, queried only by its domain), gathered by
  // db/schema.ts for the database client and drizzle-kit; they name each other for foreign keys
  ['tables', '^server/src/[a-z]+/tables\\.ts$|^server/src/db/schema\\.ts$'],
  // infrastructure: configuration, database client, blob stores, events, caches, metrics, request context, job log
  [
    'infrastructure',
    '^server/src/(db|storage|cache|metrics|logging)/|^server/src/(config|events|security-headers)\\.ts$',
  ],
  // domains, each above the ones it calls
  ['accounts', '^server/src/accounts/'],
  // what people watch and are told: written by the domains above when something happens to them
  ['notifications', '^server/src/notifications/'],
  ['registry', '^server/src/registry/'],
  // circuit boards: a version's boards as stored (the reading and drawing of Gerbers is pure, above)
  ['electronics', '^server/src/electronics/'],
  ['pipeline-core', '^server/src/pipeline/'],
  ['bom-store', '^server/src/bom/'],
  ['search', '^server/src/search/'],
  ['builds', '^server/src/builds/'],
  ['interop', '^server/src/interop/'],
  ['packet', '^server/src/packet/'],
  ['pipeline-jobs', '^server/src/pipeline/'],
  ['moderation', '^server/src/moderation/'],
  // people and conversation: profiles, discussions on designs, stars
  ['community', '^server/src/community/'],
  // the network: ActivityPub actors, inbox/outbox, follows and verified mirrors of other instances' designs
  ['federation', '^server/src/federation/'],
  // HTTP composition: the Fastify app, every domain's routes, the hook and dependency types they share
  ['http', '^server/src/(app|hooks|validation)\\.ts$|^server/src/[a-z]+/[a-z-]*routes\\.ts$'],
  // processes: wiring (runtime), entry points, admin commands, the CLI, sample loading
  ['processes', '^server/src/(runtime|main|worker-main|admin|migrate-data)\\.ts$|^server/src/(admin|cli|samples)/'],
];

/** Which layer a file is in: the first match here wins. */
const classify = [
  'http',
  'pipeline-core:^server/src/pipeline/(queue|worker|pool|job-kinds|services|derivatives|thread|thread-entry|thread-warm-up|thread-read|thread-positions|thread-big-mesh|render-helpers|render-helper-entry|visual-diff-task|early-draw)\\.ts$',
  'bom-store:^server/src/bom/(store|publish-hook)\\.ts$',
  'tables',
  // a pure predicate over error objects, kept beside the database client it is about
  'pure:^server/src/db/connection-loss\\.ts$',
  'pure',
  'infrastructure',
  'accounts',
  'notifications',
  'registry',
  'electronics',
  'bom-store',
  'search',
  'builds',
  'interop',
  'packet',
  'pipeline-jobs',
  'moderation',
  'community',
  'federation',
  'processes',
];

const patternOf = new Map(layers);
const rank = new Map(layers.map(([name], i) => [name, i]));
const entries = classify.map((c) => {
  const [name, own] = c.split(/:(.*)/s);
  return { name, path: own || patternOf.get(name) };
});
/** A file is in a layer when it matches one of its entries and no entry before that one. */
const inLayer = (name) =>
  entries.flatMap((e, i) =>
    e.name === name ? [{ path: e.path, pathNot: entries.slice(0, i).map((x) => x.path) }] : [],
  );

const upward = [];
for (const [from] of layers) {
  for (const [to] of layers) {
    if (rank.get(to) <= rank.get(from)) continue;
    for (const f of inLayer(from)) {
      for (const t of inLayer(to)) {
        upward.push({
          name: `no-up-${from}-to-${to}`,
          comment: `${from} is under ${to}: it may not import it (pass a hook or move the shared function down)`,
          severity: 'error',
          from: { path: f.path, pathNot: f.pathNot },
          to: { path: t.path, pathNot: t.pathNot },
        });
      }
    }
  }
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'imports flow downward: no loops',
      from: {},
      to: { circular: true },
    },
    ...inLayer('pure').map((from) => ({
      name: 'pure-stays-pure',
      severity: 'error',
      comment: 'a pure library never touches the database, the blob store, HTTP or a domain',
      from,
      to: {
        path: '^server/src/|^node_modules/(fastify|@fastify|drizzle-orm|pg|@electric-sql|@aws-sdk)/',
        pathNot: entries.filter((e) => e.name === 'pure').map((e) => e.path),
      },
    })),
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
