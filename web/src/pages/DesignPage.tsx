// Design page `/{owner}/{slug}[/{version}]`: header, version picker, 3D viewer, README, files (live), BOM, lineage, field data, fork and build report.
import { useState } from 'preact/hooks';
import { designPath, query, versionPath } from '../api';
import type { Design, VersionDocument, VersionSummary, VersionList } from '../api-types';
import { BomSection } from '../components/BomSection';
import { BoardsSection } from '../components/BoardsSection';
import { BuildReportForm } from '../components/BuildReportForm';
import { FieldDataView } from '../components/FieldDataView';
import { FileList } from '../components/FileList';
import { DesignEditForm } from '../components/DesignEditForm';
import { FollowMirrorButton } from '../components/FollowRemote';
import { ForkForm } from '../components/ForkForm';
import { LineageTree } from '../components/LineageTree';
import { ModelViewer } from '../components/ModelViewer';
import { PipelineBadge } from '../components/PipelineBadge';
import { ReadmeView, readmePathOf } from '../components/ReadmeView';
import { TranslateForm } from '../components/TranslateForm';
import { SafetyNotes } from '../components/SafetyNotes';
import { ErrorNotice, Loading, NotFound, SignInPrompt } from '../components/StateViews';
import { GpsWarning, LicenceFlags, MirrorNotice, UpstreamNotice } from '../components/DesignNotices';
import { slots, withElements } from '../message-elements';
import { PacketButton } from '../components/PacketButton';
import { StarButton } from '../components/StarButton';
import { WatchButton } from '../components/WatchButton';
import { ProposalList, ProposeUpstreamForm } from '../components/Proposals';
import { DiscussionCount } from '../components/DiscussionCount';
import { DownloadCount } from '../components/DownloadCount';
import { DiscussionSection } from '../components/DiscussionSection';
import { VersionPicker } from '../components/VersionPicker';
import { useDesignEvents } from '../design-events';
import { formatDate, parseRef, refLabel } from '../format';
import { t } from '../i18n';
import { categoryName } from '../display-names';
import { versionWarningText } from '../version-warning-text';
import { usePageTitle } from '../page-title';
import { designUrl, setSearchParams, useLocation } from '../router';
import { useSession } from '../session';
import { dataOf, useApi } from '../use-api';

type Panel = 'fork' | 'report' | 'propose' | 'edit' | null;

function versionsOf(reply: VersionList | VersionSummary[] | undefined): VersionSummary[] {
  if (!reply) return [];
  return Array.isArray(reply) ? reply : reply.items;
}

function LicenceChips({ design, manifestLicenses }: { design: Design; manifestLicenses?: unknown }) {
  const licences = {
    ...design.licenses,
    ...(typeof manifestLicenses === 'object' && manifestLicenses ? (manifestLicenses as Record<string, string>) : {}),
  };
  const entries = Object.entries(licences).filter(([, value]) => Boolean(value));
  if (entries.length === 0) return null;
  return (
    <ul class="chips" aria-label={t('designPage.licences')}>
      {entries.map(([kind, spdx]) => (
        <li key={kind} class="chip chip-licence" title={t('designPage.licenceOfKind', { kind })}>
          {t('designPage.licenceKind', { kind })}: {spdx}
        </li>
      ))}
    </ul>
  );
}

type Props = { owner: string; slug: string; version?: string };

export function DesignPage({ owner, slug, version }: Props) {
  const session = useSession();
  const location = useLocation();
  const design = useApi<Design>(designPath(owner, slug));
  const versions = useApi<VersionList | VersionSummary[]>(designPath(owner, slug, '/versions'));
  const doc = useApi<VersionDocument>(versionPath(owner, slug, version ?? 'latest'));
  const units = Math.max(1, Number.parseInt(location.search.get('units') ?? '1', 10) || 1);
  // the file opened in the viewer lives in the address (`?file=cad/frame.stl`), so it can be shared and Back undoes it
  const opened = location.search.get('file');
  // a circuit board shown alone in the viewer (`?board=<id>`), the same way
  const openedBoard = location.search.get('board');
  const openFile = (path: string | null) => {
    setSearchParams({ file: path }, { replace: false });
    document.getElementById('viewer-heading')?.scrollIntoView({ block: 'start' });
  };
  const [panel, setPanel] = useState<Panel>(location.hash === '#report' ? 'report' : null);
  const [reported, setReported] = useState<string | null>(null);
  const [fieldRefresh, setFieldRefresh] = useState(0);
  const [acceptedVersion, setAcceptedVersion] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [translating, setTranslating] = useState(false);

  const current = doc.status === 'ok' || doc.status === 'loading' ? doc.data : undefined;
  const resolvedVersion = current?.version ?? version ?? 'latest';
  const pipelineBusy = Boolean(current && current.pipeline?.state !== 'done');
  useDesignEvents(`${owner}/${slug}`, pipelineBusy, doc.reload);
  usePageTitle(dataOf(design) ? `${dataOf(design)!.title} (${owner}/${slug})` : `${owner}/${slug}`);

  if (design.status === 'missing') return <NotFound what={t('designPage.notFound', { design: `${owner}/${slug}` })} />;
  if (design.status === 'error') {
    return (
      <section class="page">
        <h1>
          {owner}/{slug}
        </h1>
        <ErrorNotice error={design.error} onRetry={design.reload} />
      </section>
    );
  }
  // a reload (after accepting a proposal, say) keeps the page and its open panels on screen
  const info = dataOf(design);
  if (!info) return <Loading label={t('designPage.loading')} />;

  const allVersions = versionsOf(versions.status === 'ok' ? versions.data : undefined);
  const index = allVersions.findIndex((entry) => entry.version === resolvedVersion);
  const previous =
    index >= 0
      ? (allVersions.slice(index + 1).find((entry) => entry.state !== 'yanked') ?? allVersions[index + 1])
      : undefined;
  const origin = parseRef(info.forkedFrom);
  const readme = current ? readmePathOf(current) : null;
  // a mirror is changed at its home, never here
  const isLead = Boolean(
    !info.origin && session.handle && (session.handle === owner || (info.maintainers ?? []).includes(session.handle)),
  );

  return (
    <article class="page design-page">
      <header class="design-header">
        <p class="breadcrumb">
          <a href={`/${encodeURIComponent(owner)}`}>{owner}</a> / {slug}
        </p>
        <h1 dir="auto">{info.title}</h1>
        <DiscussionCount count={current?.openQuestions} />
        {info.summary && (
          <p class="lede" dir="auto">
            {info.summary}
          </p>
        )}
        <div class="design-meta">
          {info.category && <span class="chip">{categoryName(info.category)}</span>}
          <LicenceChips design={info} manifestLicenses={current?.manifest?.licenses} />
          {(info.tags ?? []).map((tag) => (
            <a key={tag} class="chip chip-tag" href={`/?tag=${encodeURIComponent(tag)}`}>
              #{tag}
            </a>
          ))}
        </div>
        {origin && (
          <p class="fork-origin">
            {withElements(t('designPage.forkedFrom', { ...slots('origin') }), {
              origin: <a href={designUrl(origin.owner, origin.slug, origin.version)}>{refLabel(info.forkedFrom)}</a>,
            })}
          </p>
        )}
        <MirrorNotice design={info} version={current} />
        {info.origin && <FollowMirrorButton originUrl={info.origin.url} />}
        <UpstreamNotice design={info} />
        <LicenceFlags flags={info.licenseFlags} />
        <div class="design-actions">
          <VersionPicker owner={owner} slug={slug} versions={allVersions} current={resolvedVersion} />
          <StarButton owner={owner} slug={slug} stars={info.stars ?? 0} starred={info.starred ?? false} />
          <WatchButton
            path={designPath(owner, slug)}
            watching={info.watching ?? false}
            hint={t('watchButton.designHint')}
          />
          {current && (
            <>
              <button
                type="button"
                class="button"
                aria-expanded={panel === 'fork'}
                onClick={() => setPanel(panel === 'fork' ? null : 'fork')}
              >
                {t('designPage.fork')}
              </button>
              <button
                type="button"
                class="button button-secondary"
                aria-expanded={panel === 'report'}
                onClick={() => setPanel(panel === 'report' ? null : 'report')}
              >
                {t('designPage.reportBuild')}
              </button>
              {previous && (
                <a
                  class="button button-quiet"
                  href={`${designUrl(owner, slug)}/compare${query({ from: previous.version, to: resolvedVersion })}`}
                >
                  {t('designPage.compareWith', { version: previous.version })}
                </a>
              )}
              {origin && isLead && (
                <button
                  type="button"
                  class="button button-quiet"
                  aria-expanded={panel === 'propose'}
                  onClick={() => setPanel(panel === 'propose' ? null : 'propose')}
                >
                  {t('designPage.proposeUpstream')}
                </button>
              )}
              <PacketButton owner={owner} slug={slug} version={resolvedVersion} units={units} />
            </>
          )}
          {isLead && (
            <>
              {current && (
                <a class="button" href={`/publish${query({ design: `${owner}/${slug}`, from: current.version })}`}>
                  {t('designPage.newVersion')}
                </a>
              )}
              <button
                type="button"
                class="button button-quiet"
                aria-expanded={panel === 'edit'}
                onClick={() => setPanel(panel === 'edit' ? null : 'edit')}
              >
                {t('designPage.editDesign')}
              </button>
            </>
          )}
        </div>
      </header>

      {panel === 'edit' && isLead && (
        <DesignEditForm
          design={info}
          onCancel={() => setPanel(null)}
          onSaved={() => {
            setPanel(null);
            setSaved(true);
            design.reload();
          }}
        />
      )}
      {saved && (
        <div class="notice notice-success" role="status">
          <p>{t('designPage.saved')}</p>
        </div>
      )}
      {panel === 'propose' && current && (
        <ProposeUpstreamForm fork={info} version={resolvedVersion} onCancel={() => setPanel(null)} />
      )}
      {panel === 'fork' &&
        current &&
        (session.token ? (
          <ForkForm
            owner={owner}
            slug={slug}
            version={resolvedVersion}
            title={info.title}
            onCancel={() => setPanel(null)}
          />
        ) : (
          <SignInPrompt message="designPage.signInToFork" />
        ))}
      {panel === 'report' &&
        current &&
        (session.token ? (
          <BuildReportForm
            owner={owner}
            slug={slug}
            version={resolvedVersion}
            units={units}
            onCancel={() => setPanel(null)}
            onDone={(id) => {
              setReported(id);
              setPanel(null);
              setFieldRefresh((n) => n + 1);
            }}
          />
        ) : (
          <SignInPrompt message="designPage.signInToReport" />
        ))}
      {acceptedVersion && (
        <div class="notice notice-success" role="status">
          <p>
            {t('designPage.accepted', { version: acceptedVersion })}{' '}
            <a href={designUrl(owner, slug, acceptedVersion)}>
              {t('designPage.openVersion', { version: acceptedVersion })}
            </a>
          </p>
        </div>
      )}
      {reported && (
        <div class="notice notice-success" role="status">
          <p>
            {t('designPage.reported')}{' '}
            <a href={`/reviews?build=${encodeURIComponent(reported)}`}>{t('designPage.seeReport')}</a>
          </p>
        </div>
      )}

      {doc.status === 'missing' && (
        <div class="state state-empty">
          <p class="state-title">{version ? t('designPage.versionMissing', { version }) : t('designPage.noVersion')}</p>
          {session.handle === owner && (
            <p>
              <a class="button" href={`/publish?design=${encodeURIComponent(`${owner}/${slug}`)}`}>
                {t('designPage.publishFirst')}
              </a>
            </p>
          )}
        </div>
      )}
      {doc.status === 'error' && <ErrorNotice error={doc.error} onRetry={doc.reload} />}
      {doc.status === 'loading' && !current && <Loading label={t('designPage.loadingVersion')} />}

      {current && (
        <>
          <div class="version-bar">
            <span>
              {withElements(t('designPage.versionLabel', { ...slots('version') }), {
                version: <strong>{current.version}</strong>,
              })}
              {current.state === 'yanked' && <span class="badge badge-failed">{t('designPage.yanked')}</span>}
            </span>
            <span class="muted">{t('designPage.publishedOn', { date: formatDate(current.publishedAt) })}</span>
            <DownloadCount downloads={current.downloads} />
            <span>
              {withElements(t('designPage.pipeline', { ...slots('state') }), {
                state: <PipelineBadge state={current.pipeline?.state} />,
              })}
              {current.pipeline?.failedFiles ? (
                <span class="muted"> {t('designPage.failedFiles', { count: current.pipeline.failedFiles })}</span>
              ) : null}
            </span>
          </div>
          {isLead && <GpsWarning files={current.files} />}
          {(current.warnings ?? []).length > 0 && (
            <div class="notice notice-warning version-warnings">
              <p>
                <strong>{t('designPage.droppedTitle', { version: current.version })}</strong>
              </p>
              <ul>
                {current.warnings!.map((warning) => (
                  <li key={warning.field}>{versionWarningText(warning)}</li>
                ))}
              </ul>
            </div>
          )}
          {current.state === 'yanked' && (
            <div class="notice notice-warning">
              <p>{t('designPage.yankedNotice')}</p>
            </div>
          )}
          <div class="design-layout">
            <div class="design-main">
              <SafetyNotes manifest={current.manifest} />
              <ModelViewer
                owner={owner}
                slug={slug}
                version={resolvedVersion}
                files={current.files}
                opened={opened}
                boards={current.boards}
                openedBoard={openedBoard}
                manifest={current.manifest}
                onShowAssembly={() =>
                  openedBoard ? setSearchParams({ file: null, board: null }, { replace: false }) : openFile(null)
                }
              />
              {/* anyone signed in may propose a translation of a published version's README, at the design's home */}
              {readme && session.token && !info.origin && current?.state === 'published' && (
                <div class="actions readme-actions">
                  <button
                    type="button"
                    class="button button-quiet button-small"
                    aria-expanded={translating}
                    onClick={() => setTranslating(!translating)}
                  >
                    {t('translate.action')}
                  </button>
                </div>
              )}
              {translating && readme && current && (
                <TranslateForm
                  owner={owner}
                  slug={slug}
                  version={current.version}
                  path={readme}
                  sourceLang={typeof current.manifest?.language === 'string' ? current.manifest.language : 'en'}
                  onCancel={() => setTranslating(false)}
                />
              )}
              {readme && (
                <ReadmeView
                  owner={owner}
                  slug={slug}
                  version={resolvedVersion}
                  path={readme}
                  translations={current.translations}
                  language={typeof current.manifest?.language === 'string' ? current.manifest.language : undefined}
                />
              )}
              {typeof current.manifest?.changelog === 'string' && current.manifest.changelog && (
                <section class="section" aria-labelledby="changelog-heading">
                  <h2 id="changelog-heading">{t('designPage.changesIn', { version: current.version })}</h2>

                  <p class="prewrap">{current.manifest.changelog}</p>
                </section>
              )}
            </div>
            <aside class="design-side">
              <FieldDataView owner={owner} slug={slug} version={resolvedVersion} refreshKey={fieldRefresh} />
              <LineageTree owner={owner} slug={slug} />
              <ProposalList
                design={info}
                isLead={isLead}
                onAccepted={(accepted) => {
                  versions.reload();
                  design.reload();
                  setAcceptedVersion(accepted);
                }}
              />
            </aside>
          </div>
          <FileList
            owner={owner}
            slug={slug}
            version={resolvedVersion}
            files={current.files}
            opened={opened}
            onOpen={openFile}
          />
          <BoardsSection owner={owner} slug={slug} version={resolvedVersion} boards={current.boards} />
          <BomSection
            owner={owner}
            slug={slug}
            version={resolvedVersion}
            units={units}
            onUnitsChange={(n) => setSearchParams({ units: n === 1 ? null : n })}
          />
          <DiscussionSection owner={owner} slug={slug} version={current.version} openProblems={current.openProblems} />
        </>
      )}
    </article>
  );
}
