// What each kind of notification points at: the design it is about and the web path that opens it, written when it
// is made so the list words and links it without looking anything up (and still does after a rename of the design).
import type { NotificationSubject } from './tables.js';

/** The parts of a design a subject names (a registry row fits). */
export interface DesignNamed {
  ownerHandle: string;
  slug: string;
  title: string;
}

const refOf = (d: DesignNamed) => `${d.ownerHandle}/${d.slug}`;

/** The design's web path, as the web's designUrl writes it. */
export function designPath(d: DesignNamed, version?: string): string {
  const base = `/${encodeURIComponent(d.ownerHandle)}/${encodeURIComponent(d.slug)}`;
  return version ? `${base}/${encodeURIComponent(version)}` : base;
}

export const versionSubject = (d: DesignNamed, version: string): NotificationSubject => ({
  type: 'version',
  design: refOf(d),
  version,
  title: d.title,
  url: designPath(d, version),
});

/** A build report (or its review) shows in its version's field data. */
export const buildReportSubject = (
  d: DesignNamed,
  version: string,
  reportId: string,
  type: 'build-report' | 'review' = 'build-report',
): NotificationSubject => ({
  type,
  id: reportId,
  design: refOf(d),
  version,
  title: d.title,
  url: `${designPath(d, version)}#field-data`,
});

/** A fork of `upstream`: it opens the fork, titled as the fork is. */
export const forkSubject = (upstream: DesignNamed, fork: DesignNamed & { id: string }): NotificationSubject => ({
  type: 'fork',
  id: fork.id,
  design: refOf(upstream),
  title: fork.title,
  url: designPath(fork),
});

export const proposalSubject = (d: DesignNamed, proposalId: string): NotificationSubject => ({
  type: 'proposal',
  id: proposalId,
  design: refOf(d),
  title: d.title,
  url: `${designPath(d)}#proposals`,
});
