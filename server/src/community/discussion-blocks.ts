// A blocked instance's people never show in discussions: what they wrote is left out when read (and shows again
// if the instance is unblocked), whatever arrived before the block. The block list is federation's table.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { blockedInstances } from '../federation/tables.js';

/** Not written by someone of an instance an admin blocked (`remoteInstance`: the author's users.remote_instance). */
export const notFromBlockedInstance = (remoteInstance: AnyColumn | SQL): SQL =>
  sql`not exists (select 1 from ${blockedInstances} where ${blockedInstances.host} = ${remoteInstance})`;
