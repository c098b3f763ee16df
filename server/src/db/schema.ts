// Every table of the database, gathered for drizzle (queries stay in each domain's folder).
export * from '../accounts/tables.js';
export * from '../registry/tables.js';
export * from '../pipeline/tables.js';
export * from '../bom/tables.js';
export * from '../search/tables.js';
export * from '../builds/tables.js';
export * from '../moderation/tables.js';
export * from '../federation/tables.js';
export * from '../electronics/tables.js';
export * from '../notifications/tables.js';
export * from '../community/tables.js';
