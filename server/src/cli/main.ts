// The andecha CLI: login, validate, publish, pull, import, export, translate — commander wiring, output and exit codes.
import { Command, CommanderError } from 'commander';
import { ApiClient } from './client.js';
import { readCliConfig, userLanguage } from './config.js';
import { defaultLocale, matchLocale } from '../locales/catalogues.js';
import { readLocalVersion } from './folder.js';
import { login } from './login.js';
import { CliError, formatBytes, makeOutput, type Output } from './output.js';
import { publishFolder } from './publish.js';
import { exportVersion, importFolder, parseDesignRef, pullVersion } from './transfer.js';
import { proposeTranslationFile, startTranslation } from './translate.js';
import { validateLocalVersion } from './validate.js';

const client = () => {
  const c = readCliConfig();
  return new ApiClient(c.url, c.token);
};

export function buildProgram(
  run: (fn: (out: Output) => Promise<number | void>, opts: { json?: boolean; quiet?: boolean }) => Promise<void>,
): Command {
  const program = new Command('andecha')
    .description('Andecha: publish, fetch, import and export open hardware designs')
    .option('--json', 'print the result as JSON (for scripts)')
    .option('-q, --quiet', 'no progress on stderr')
    .showHelpAfterError()
    .exitOverride();
  const g = () => program.opts<{ json?: boolean; quiet?: boolean }>();

  program
    .command('login')
    .argument('<url>', 'the instance, e.g. http://127.0.0.1:3000')
    .description('sign in and store the URL and a token (in ~/.config/andecha/config.json, or $ANDECHA_CONFIG)')
    .option('--handle <handle>', 'handle or email (asked on stdin when missing)')
    .option('--password <password>', 'password (asked on stdin when missing)')
    .option('--token <token>', 'an API token instead of handle and password')
    .action((url, opts) =>
      run(async (out) => {
        const r = await login(url, opts);
        out.result(r, `logged in to ${r.url} as ${r.handle} (config ${r.config})`);
      }, g()),
    );

  program
    .command('validate')
    .argument('<folder>', 'a version folder: manifest.json, bom.csv|tsv|json, files')
    .description("check a folder offline with the server's own rules: manifest, licences, BOM lines, paths, limits")
    .action((folder) =>
      run(async (out) => {
        // the BOM's warnings in the user's language, as the server would word them to this CLI
        const r = validateLocalVersion(readLocalVersion(folder), matchLocale(userLanguage() ?? '') ?? defaultLocale);
        const lines = [
          ...r.errors.map((e) => `error   ${e.where}: ${e.message}`),
          ...r.warnings.map((w) => `warning ${w.where}: ${w.message}`),
          r.ok
            ? `ok: version ${r.version}, ${r.files} files (${formatBytes(r.bytes)})${r.bomLines !== undefined ? `, BOM with ${r.bomLines} top-level lines` : ''}`
            : `${r.errors.length} error(s): not publishable`,
        ];
        out.result(r, lines.join('\n'));
        return r.ok ? 0 : 1;
      }, g()),
    );

  program
    .command('publish')
    .argument('<folder>', 'a version folder: manifest.json, bom.csv|tsv|json, files')
    .description(
      'publish a version (creates your design when missing; files the server already holds are not sent again)',
    )
    .option('--design <owner/slug>', 'the design to publish to (default: yours, named after the folder)')
    .action((folder, opts) =>
      run(async (out) => {
        const r = await publishFolder(client(), folder, opts.design, out);
        out.result(
          r,
          `published ${r.owner}/${r.slug}@${r.version}: ${r.uploaded.length} file(s) uploaded, ${r.skipped.length} skipped (already on the server)${r.bom ? ', BOM' : ''}${r.createdDesign ? ' — design created' : ''}`,
        );
      }, g()),
    );

  program
    .command('pull')
    .argument('<design>', 'owner/slug[@version]')
    .argument('[dir]', 'target folder (default: the slug)')
    .description('download a version: every file, manifest.json and the BOM as bom.csv')
    .action((ref, dir) =>
      run(async (out) => {
        const r = await pullVersion(client(), parseDesignRef(ref), dir, out);
        out.result(
          r,
          `pulled ${r.owner}/${r.slug}@${r.version} into ${r.dir}: ${r.files} file(s)${r.bom ? ` + ${r.bom}` : ''} + manifest.json`,
        );
      }, g()),
    );

  program
    .command('import')
    .argument('<path>', 'an OKH-LOSH, OKH v1 or Kitspace project folder, a manifest file or a zip')
    .description('import designs from open manifests (recognised by content)')
    .action((path) =>
      run(async (out) => {
        const r = await importFolder(client(), path, out);
        out.result(
          r,
          r.designs
            .map((d: { owner: string; slug: string; version: string; warnings: string[] }) =>
              [`imported ${d.owner}/${d.slug}@${d.version}`, ...d.warnings.map((w: string) => `  warning: ${w}`)].join(
                '\n',
              ),
            )
            .join('\n'),
        );
      }, g()),
    );

  program
    .command('export')
    .argument('<design>', 'owner/slug@version')
    .argument('[dir]', 'target folder (default: slug-version)')
    .description('export a version as okh.toml (OKH-LOSH) + files + BOM')
    .action((ref, dir) =>
      run(async (out) => {
        const r = await exportVersion(client(), parseDesignRef(ref, true), dir, out);
        out.result(
          r,
          `exported ${r.owner}/${r.slug}@${r.version} into ${r.dir}: okh.toml + ${r.files} file(s)${r.bom ? ` + ${r.bom}` : ''}`,
        );
      }, g()),
    );

  program
    .command('translate')
    .argument('<design>', 'owner/slug[@version] (default: the latest version)')
    .argument('[lang]', 'the language to translate into, a BCP 47 tag: es, pt-BR (not with --propose)')
    .description(
      "write the version's README to README.<lang>.md with front matter naming it (translate it in an editor); with --propose FILE, send the translation to the design's leads",
    )
    .option('--out <file>', 'where to write it (default: README.<lang>.md)')
    .option('--propose <file>', 'send this translated file as a proposal')
    .option('--lang <lang>', "the file's language when its name is not README.<lang>.md")
    .option('--message <message>', 'a note to the leads')
    .action((ref, lang, opts) =>
      run(async (out) => {
        if (opts.propose) {
          const r = await proposeTranslationFile(client(), parseDesignRef(ref), opts.propose, opts);
          out.result(
            r,
            `proposed the ${r.lang} translation of ${r.owner}/${r.slug}@${r.version} (proposal ${r.proposal.id}); the design's leads accept it into a new patch version`,
          );
          return;
        }
        if (!lang) throw new CliError('Name the language to translate into: andecha translate owner/slug es', 2);
        const r = await startTranslation(client(), parseDesignRef(ref), lang, opts.out, out);
        out.result(
          r,
          `wrote ${r.file}: the ${r.source.path} of ${r.owner}/${r.slug}@${r.version}, to translate into ${r.lang}`,
        );
      }, g()),
    );
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram(async (fn, opts) => {
    const out = makeOutput(opts);
    try {
      const r = await fn(out);
      code = typeof r === 'number' ? r : 0;
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      if (out.json)
        process.stdout.write(
          JSON.stringify({ error: err.message, ...(err.problem ? { problem: err.problem } : {}) }, null, 2) + '\n',
        );
      process.stderr.write(`andecha: ${err.message}\n`);
      code = err.exitCode;
    }
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`andecha: ${(err as Error).stack ?? err}\n`);
    return 1;
  }
  return code;
}
