// Tables owned by electronics: the boards a version's Gerber and drill files make, each drawn by one job.
import { pgTable, uuid, text, jsonb, unique } from 'drizzle-orm/pg-core';
import { designVersions } from '../registry/tables.js';

export const versionBoards = pgTable(
  'version_boards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => designVersions.id, { onDelete: 'cascade' }),
    /** the board's folder path in the version ("root" for its top folder): its id in URLs */
    boardId: text('board_id').notNull(),
    name: text('name').notNull(),
    /** [{path, type, side}] in path order; type and side are filled in once the files have been read */
    layers: jsonb('layers').$type<{ path: string; type: string | null; side: string | null }[]>().notNull(),
    /** queued|running|done|failed, `error` a sentence the maker can act on when failed */
    state: text('state').notNull().default('queued'),
    error: text('error'),
    facts: jsonb('facts').$type<Record<string, unknown>>(),
    /** the derivative key the board's pictures are stored under (a hash of its files' names and sha256s) */
    subjectKey: text('subject_key').notNull(),
  },
  (t) => [unique('version_boards_version_board').on(t.versionId, t.boardId)],
);
