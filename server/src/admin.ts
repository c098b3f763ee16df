// `npm run admin -- <command>`: operator tools on this instance's database and blob store (see README "Admin tools").
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from './config.js';
import { openRuntime, closeRuntime } from './runtime.js';
import type { AppDeps } from './hooks.js';
import { AppError, msg } from './errors.js';
import { grantAdmin, revokeAdmin, listUsers, setPassword } from './admin/users.js';
import { newPassword } from './accounts/secrets.js';
import { hideDesign, restoreDesign, yankAnyVersion } from './admin/designs.js';
import { collectGarbage } from './admin/gc.js';
import { verifyBlobs, verifyFailed } from './admin/verify.js';
import { reprocessAll } from './admin/reprocess.js';
import { listBlocks, normalizeHost, setInstanceBlocked } from './federation/blocks.js';
import { findDesign, parseDesignRef } from './registry/designs.js';

export {
  grantAdmin,
  revokeAdmin,
  listUsers,
  setPassword,
  hideDesign,
  restoreDesign,
  yankAnyVersion,
  collectGarbage,
  verifyBlobs,
  reprocessAll,
};
export { blobReferenceColumns, referencedBlobs } from './db/blob-references.js';

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

/** What was piped to this process (its first line), or undefined when stdin is a terminal: nothing is typed there. */
async function pipedLine(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0];
}

/**
 * The CLI as a commander program over opened deps; `print` is where lines go, `readPiped` gives what was piped
 * to stdin (undefined from a terminal). Returns the exit code.
 */
export function adminProgram(
  deps: AppDeps,
  print: (line: string) => void = console.log,
  readPiped: () => Promise<string | undefined> = pipedLine,
): { program: Command; exitCode: () => number } {
  const db = deps.db.db;
  let code = 0;
  const program = new Command('admin').description('Andecha operator tools').exitOverride();
  program
    .command('digest')
    .option('--now', 'send to everyone with unread notifications not yet emailed, whenever their last digest was')
    .description('send the email digest to the people due one (needs ANDECHA_SMTP_URL and ANDECHA_DIGEST)')
    .action(async (o: { now?: boolean }) => {
      if (!deps.digest) {
        print('the email digest is off: set ANDECHA_SMTP_URL and ANDECHA_DIGEST=daily or weekly');
        code = 1;
        return;
      }
      const r = await deps.digest.run({ ignoreCadence: !!o.now });
      print(`sent ${r.sent} digest emails${r.refused ? `; ${r.refused} addresses refused by the SMTP server` : ''}`);
      if (r.serverError) {
        print(`the SMTP server failed: ${r.serverError}; the rest is tried at the next run`);
        code = 1;
      }
    });
  program
    .command('grant')
    .argument('<handle>')
    .description('make a user an admin')
    .action(async (h: string) => {
      await grantAdmin(db, h);
      print(`${h} is now an admin`);
    });
  program
    .command('revoke')
    .argument('<handle>')
    .description('take the admin role away')
    .action(async (h: string) => {
      await revokeAdmin(db, h);
      print(`${h} is no longer an admin`);
    });
  // a password typed at a terminal would be echoed and kept in its scrollback: there one is generated instead
  program
    .command('set-password')
    .argument('<handle>')
    .description(
      "set an account's password, read from stdin (echo … | admin set-password h), or generated and printed from a terminal or with --generate; ends its sessions",
    )
    .option('--generate', 'generate one even when stdin is piped', false)
    .action(async (h: string, o: { generate: boolean }) => {
      const piped = o.generate ? undefined : await readPiped();
      if (piped !== undefined) {
        await setPassword(db, h, piped);
        print(`${h}: password set; its sessions are ended`);
      } else {
        const password = newPassword();
        await setPassword(db, h, password);
        print(`${h}: password set to ${password} (shown once); its sessions are ended`);
      }
    });
  program
    .command('users')
    .description('list accounts')
    .action(async () => {
      for (const u of await listUsers(db))
        print(`${u.handle}\t${u.email}\t${u.isAdmin ? 'admin' : 'user'}\t${u.createdAt}`);
    });
  program
    .command('hide')
    .argument('<owner/slug>')
    .description('take a design down (visible to its owner and admins only)')
    .action(async (ref: string) => {
      await hideDesign(db, ref);
      // followers on other instances hide their copies too (queued here, delivered by the server's queue)
      const { owner, slug } = parseDesignRef(ref, false);
      await deps.federation?.designDeleted(await findDesign(db, owner, slug), 'taken-down');
      print(`${ref} is hidden`);
    });
  program
    .command('restore')
    .argument('<owner/slug>')
    .description('make a hidden design public again')
    .action(async (ref: string) => {
      await restoreDesign(db, ref);
      print(`${ref} is visible again`);
    });
  program
    .command('yank')
    .argument('<owner/slug@version>')
    .description('yank any version: still downloadable, never latest')
    .action(async (ref: string) => {
      print(`yanked ${ref.split('@')[0]}@${await yankAnyVersion(db, ref)}`);
    });
  program
    .command('gc')
    .description('delete blobs no row refers to, older than the grace period')
    .option('--grace-hours <hours>', 'keep unreferenced blobs younger than this', number, 24)
    .option('--dry-run', 'only report what would be deleted', false)
    .action(async (o: { graceHours: number; dryRun: boolean }) => {
      const r = await collectGarbage(deps.db, deps.blobs, {
        graceHours: o.graceHours,
        dryRun: o.dryRun,
        packetKeepDays: deps.config.packetKeepDays,
      });
      if (r.expiredPackets)
        print(
          `${o.dryRun ? 'would forget' : 'forgot'} ${r.expiredPackets} build packet(s) not asked for in ${deps.config.packetKeepDays} days`,
        );
      for (const b of r.deleted) print(`${o.dryRun ? 'would delete' : 'deleted'} ${b.sha256} (${b.size} bytes)`);
      const freed = r.deleted.reduce((s, b) => s + b.size, 0);
      print(
        `${o.dryRun ? 'would delete' : 'deleted'} ${r.deleted.length} blob(s), ${mb(freed)}; kept ${r.referenced} referenced and ${r.tooYoung} within ${o.graceHours} h`,
      );
      if (r.abandonedUploads.count)
        print(
          `${o.dryRun ? 'would delete' : 'deleted'} ${r.abandonedUploads.count} abandoned upload(s) in tmp/, ${mb(r.abandonedUploads.bytes)}`,
        );
    });
  program
    .command('verify')
    .description('re-hash every blob; non-zero exit on a mismatch or a missing blob')
    .action(async () => {
      const r = await verifyBlobs(deps.db, deps.blobs);
      for (const m of r.mismatches) print(`MISMATCH ${m.sha256}: its bytes hash to ${m.actual}`);
      for (const s of r.missing) print(`MISSING ${s}: referenced by a row, absent from the blob store`);
      print(
        `checked ${r.checked} blob(s), ${mb(r.bytes)}: ${r.mismatches.length} mismatch(es), ${r.missing.length} missing`,
      );
      if (verifyFailed(r)) code = 1;
    });
  program
    .command('reprocess')
    .description('run versions through the pipeline again')
    .option('--all', 'every version of every design', false)
    .action(async (o: { all: boolean }) => {
      if (!o.all) throw new AppError('bad-request', msg('admin.sayWhich'));
      if (!deps.pipeline) throw new AppError('unavailable', msg('admin.noPipeline'));
      const r = await reprocessAll(db, deps.pipeline);
      print(
        `queued ${r.versions} version(s) for processing; a running worker (npm start or npm run worker) picks them up`,
      );
    });
  const federation = program.command('federation').description('the network: instances this one refuses');
  federation
    .command('block')
    .argument('<host>', 'an instance name: host, with the port where not default')
    .description('block an instance: nothing from it is accepted or fetched, its mirrored designs are hidden')
    .action(async (input: string) => {
      const host = normalizeHost(input);
      const changed = await setInstanceBlocked(db, deps.mirror, host, true);
      print(changed ? `${host} is blocked` : `${host} was blocked already`);
    });
  federation
    .command('unblock')
    .argument('<host>')
    .description('unblock an instance')
    .action(async (input: string) => {
      const host = normalizeHost(input);
      const changed = await setInstanceBlocked(db, deps.mirror, host, false);
      if (!changed) code = 1;
      print(changed ? `${host} is no longer blocked` : `${host} was not blocked`);
    });
  federation
    .command('blocks')
    .description('list blocked instances')
    .action(async () => {
      for (const b of await listBlocks(db)) print(`${b.host}\tsince ${b.createdAt}`);
    });
  return { program, exitCode: () => code };
}

/** Runs one admin command line against the configured instance; returns the process exit code. */
export async function runAdmin(argv: string[]): Promise<number> {
  const deps = await openRuntime({ ...loadConfig(), runWorker: false, loadSamples: false });
  try {
    const { program, exitCode } = adminProgram(deps);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (caught) {
    const err = caught as { exitCode?: unknown; code?: string } | null;
    // commander's own exits (help, usage) carry their code; our errors print their sentence
    if (typeof err?.exitCode === 'number' && err.code?.startsWith('commander.')) return err.exitCode;
    console.error(err instanceof AppError ? err.message : err);
    return 1;
  } finally {
    // a takedown, a yank, a grant…: running API processes drop what they derived from the old rows
    deps.events.changed();
    await closeRuntime(deps);
  }
}

const invokedDirectly = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = await runAdmin(process.argv.slice(2));
