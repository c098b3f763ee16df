// A design's family: where it was forked from and the forks made of it (GET …/lineage), as a nested list.
import { designPath } from '../api';
import { useApi } from '../use-api';
import { designUrl } from '../router';
import { ErrorNotice } from './StateViews';
import { t } from '../i18n';
import { slots, withElements } from '../message-elements';

type LineageNode = {
  owner: string;
  slug: string;
  version?: string;
  fromVersion?: string;
  title?: string;
  /** a design that lives on another instance: its home instance and web page there */
  instance?: string;
  url?: string;
  /** who follows it across the network: how many, and the instances they live on */
  followers?: { count: number; instances: string[] };
  children?: LineageNode[];
  forks?: LineageNode[];
};

function isNode(value: unknown): value is LineageNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LineageNode).owner === 'string' &&
    typeof (value as LineageNode).slug === 'string'
  );
}

function asNodes(value: unknown): LineageNode[] {
  return Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : [];
}

/** Accepts a tree ({root|tree: node}), chains ({upstream|ancestors, forks|downstream}) or a node list with edges. */
export function toTree(data: unknown, owner: string, slug: string): { ancestors: LineageNode[]; root: LineageNode } {
  const record = (data ?? {}) as Record<string, unknown>;
  const self: LineageNode = { owner, slug };
  const ancestors = asNodes(
    record.upstream ?? record.ancestors ?? record.parents ?? record.forkedFrom ?? record.parent,
  );
  const tree = asNodes(record.root ?? record.tree)[0] ?? (isNode(record) ? (record as LineageNode) : undefined);
  if (tree) return { ancestors, root: tree };
  if (Array.isArray(record.nodes) && Array.isArray(record.edges)) {
    const nodes = asNodes(record.nodes);
    const id = (node: { owner: string; slug: string }) => `${node.owner}/${node.slug}`;
    const byId = new Map(nodes.map((node) => [id(node), { ...node, children: [] as LineageNode[] }]));
    const hasParent = new Set<string>();
    for (const edge of record.edges as Record<string, unknown>[]) {
      const from = String(edge.from ?? edge.parent ?? edge.source ?? '').split('@')[0];
      const to = String(edge.to ?? edge.child ?? edge.target ?? '').split('@')[0];
      const parent = byId.get(from);
      const child = byId.get(to);
      if (parent && child) {
        parent.children.push(child);
        hasParent.add(to);
      }
    }
    const roots = [...byId.values()].filter((node) => !hasParent.has(id(node)));
    return { ancestors: [], root: roots.length === 1 ? roots[0] : { ...self, children: roots } };
  }
  return {
    ancestors,
    root: { ...self, children: asNodes(record.forks ?? record.downstream ?? record.children ?? record.items) },
  };
}

function NodeView({ node, current }: { node: LineageNode; current: string }) {
  const children = [...(node.children ?? []), ...(node.forks ?? [])];
  const isCurrent = `${node.owner}/${node.slug}` === current;
  return (
    <li>
      <a
        href={designUrl(node.owner, node.slug)}
        aria-current={isCurrent ? 'page' : undefined}
        class={isCurrent ? 'lineage-current' : undefined}
      >
        {node.owner}/{node.slug}
      </a>
      {node.title && <span class="muted"> — {node.title}</span>}
      {(node.fromVersion ?? node.version) && (
        <span class="chip">{t('lineageTree.from', { version: node.fromVersion ?? node.version })}</span>
      )}
      {node.instance && (
        <span class="chip chip-home" title={t('lineageTree.homeTitle')}>
          {withElements(t('lineageTree.home', slots('instance')), {
            instance: node.url ? (
              <a href={node.url} rel="external">
                {node.instance}
              </a>
            ) : (
              node.instance
            ),
          })}
        </span>
      )}
      {node.followers && node.followers.instances.length > 0 && (
        <span class="chip chip-followers" title={t('lineageTree.followersTitle', { count: node.followers.count })}>
          {t('lineageTree.followedFrom', {
            count: node.followers.instances.length,
            instances: node.followers.instances.join(t('lineageTree.listSeparator')),
          })}
        </span>
      )}
      {children.length > 0 && (
        <ul>
          {children.map((child) => (
            <NodeView key={`${child.owner}/${child.slug}`} node={child} current={current} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function LineageTree({ owner, slug }: { owner: string; slug: string }) {
  const lineage = useApi<unknown>(designPath(owner, slug, '/lineage'));
  if (lineage.status === 'missing' || lineage.status === 'idle' || (lineage.status === 'loading' && !lineage.data))
    return null;
  if (lineage.status === 'error') return <ErrorNotice error={lineage.error} />;
  const { ancestors, root } = toTree(lineage.data, owner, slug);
  const forks = [...(root.children ?? []), ...(root.forks ?? [])];
  if (ancestors.length === 0 && forks.length === 0 && `${root.owner}/${root.slug}` === `${owner}/${slug}`) {
    return (
      <section class="section" aria-labelledby="lineage-heading">
        <h2 id="lineage-heading">{t('lineageTree.heading')}</h2>
        <p class="muted">{t('lineageTree.noForks')}</p>
      </section>
    );
  }
  return (
    <section class="section" aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">{t('lineageTree.heading')}</h2>
      {ancestors.length > 0 && (
        <p>
          {withElements(t('lineageTree.forkedFrom', slots('designs')), {
            designs: ancestors.map((node, index) => (
              <span key={index}>
                {index > 0 && ' ← '}
                <a href={designUrl(node.owner, node.slug, node.version)}>
                  {node.owner}/{node.slug}
                  {node.version ? `@${node.version}` : ''}
                </a>
              </span>
            )),
          })}
        </p>
      )}
      <ul class="lineage-tree">
        <NodeView node={root} current={`${owner}/${slug}`} />
      </ul>
    </section>
  );
}
