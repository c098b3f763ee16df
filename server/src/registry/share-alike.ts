// Share-alike rules between a design and its forks, and licence flags (non-commercial, unknown) — on parsed SPDX.
import parse from 'spdx-expression-parse';
import satisfies from 'spdx-satisfies';
import { AppError, type FieldError, type Message, msg, renderMessage } from '../errors.js';

export type Licenses = Record<string, string | undefined>;

/** One licence of an expression as spdx-expression-parse gives it. */
interface LicenseNode {
  license: string;
  plus?: boolean;
  exception?: string;
}
type ExpressionNode = LicenseNode | { left: ExpressionNode; conjunction: 'and' | 'or'; right: ExpressionNode };

interface ShareAlikeRule {
  /** licences a derived design may use, as spdx-satisfies approvals (`X+` = X or any later version) */
  compatible: string[];
  strength: 'strong' | 'weak';
}

// Keyed by the licence id without -only/-or-later. What a derived work may be released under:
// the same licence (or a later version where the licence allows it) and the one-way compatibilities the
// licence stewards declared (CC BY-SA 4.0 → GPLv3; LGPL → GPL; CERN-OHL-W → CERN-OHL-S).
const rules: Record<string, ShareAlikeRule> = {
  'CERN-OHL-S-2.0': { compatible: ['CERN-OHL-S-2.0'], strength: 'strong' },
  'CERN-OHL-W-2.0': { compatible: ['CERN-OHL-W-2.0', 'CERN-OHL-S-2.0'], strength: 'weak' },
  'TAPR-OHL-1.0': { compatible: ['TAPR-OHL-1.0'], strength: 'strong' },
  'CC-BY-SA-1.0': { compatible: ['CC-BY-SA-1.0+'], strength: 'strong' },
  'CC-BY-SA-2.0': { compatible: ['CC-BY-SA-2.0+'], strength: 'strong' },
  'CC-BY-SA-2.5': { compatible: ['CC-BY-SA-2.5+'], strength: 'strong' },
  'CC-BY-SA-3.0': { compatible: ['CC-BY-SA-3.0+'], strength: 'strong' },
  'CC-BY-SA-4.0': { compatible: ['CC-BY-SA-4.0', 'GPL-3.0-only', 'GPL-3.0-or-later'], strength: 'strong' },
  'CC-BY-NC-SA-2.0': { compatible: ['CC-BY-NC-SA-2.0+'], strength: 'strong' },
  'CC-BY-NC-SA-2.5': { compatible: ['CC-BY-NC-SA-2.5+'], strength: 'strong' },
  'CC-BY-NC-SA-3.0': { compatible: ['CC-BY-NC-SA-3.0+'], strength: 'strong' },
  'CC-BY-NC-SA-4.0': { compatible: ['CC-BY-NC-SA-4.0'], strength: 'strong' },
  'GPL-2.0': { compatible: ['GPL-2.0-only'], strength: 'strong' },
  'GPL-3.0': {
    compatible: ['GPL-3.0-only', 'GPL-3.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later'],
    strength: 'strong',
  },
  'AGPL-3.0': { compatible: ['AGPL-3.0-only', 'AGPL-3.0-or-later'], strength: 'strong' },
  'LGPL-2.0': { compatible: ['LGPL-2.0+', 'LGPL-2.1+', 'LGPL-3.0+', 'GPL-2.0+', 'GPL-3.0+'], strength: 'weak' },
  'LGPL-2.1': { compatible: ['LGPL-2.1+', 'LGPL-3.0+', 'GPL-2.0+', 'GPL-3.0+'], strength: 'weak' },
  'LGPL-3.0': { compatible: ['LGPL-3.0+', 'GPL-3.0+'], strength: 'weak' },
};

/** "GPL-3.0-or-later" and "GPL-3.0+" → base "GPL-3.0", later: true. */
function baseOf(node: LicenseNode): { base: string; later: boolean } {
  for (const suffix of ['-or-later', '-only']) {
    if (node.license.endsWith(suffix))
      return { base: node.license.slice(0, -suffix.length), later: suffix === '-or-later' || !!node.plus };
  }
  return { base: node.license, later: !!node.plus };
}

function ruleOf(node: LicenseNode): ShareAlikeRule | undefined {
  const { base, later } = baseOf(node);
  const rule = rules[base];
  if (!rule) return undefined;
  // "GPL-2.0-or-later" lets the next author pick GPL-3.0 as well
  if (base === 'GPL-2.0' && later)
    return { compatible: ['GPL-2.0+', 'AGPL-3.0-only', 'AGPL-3.0-or-later'], strength: 'strong' };
  return rule;
}

const text = (node: LicenseNode) =>
  `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;

/** The expression as alternatives (disjunctive normal form): each alternative is the licences that all apply. */
function alternatives(node: ExpressionNode): LicenseNode[][] {
  if ('license' in node) return [[node]];
  const left = alternatives(node.left);
  const right = alternatives(node.right);
  if (node.conjunction === 'or') return [...left, ...right];
  return left.flatMap((a) => right.map((b) => [...a, ...b])).slice(0, 256);
}

/** Parsed expressions by text: every design document shows its licences' flags, and an instance has few licences. */
const parsedExpressions = new Map<string, LicenseNode[][] | undefined>();
const MAX_PARSED_EXPRESSIONS = 1000;

/** The expression's alternatives (shared: read them, never change them), undefined when it is not SPDX. */
function parsed(expression: string): LicenseNode[][] | undefined {
  if (parsedExpressions.has(expression)) return parsedExpressions.get(expression);
  let alts: LicenseNode[][] | undefined;
  try {
    alts = alternatives(parse(expression) as ExpressionNode);
  } catch {
    alts = undefined;
  }
  if (parsedExpressions.size >= MAX_PARSED_EXPRESSIONS) parsedExpressions.clear();
  parsedExpressions.set(expression, alts);
  return alts;
}

export interface ShareAlikeRequirement {
  /** the upstream expression that imposes it */
  upstream: string;
  /** share-alike licences of the upstream expression */
  licenses: string[];
  compatible: string[];
  strength: 'strong' | 'weak';
}

/**
 * What an upstream licence expression asks of derived designs: nothing when some alternative carries no
 * share-alike licence (the next author may take that branch), else the licences a derived design may use.
 */
export function shareAlikeRequirement(expression: string | undefined): ShareAlikeRequirement | undefined {
  if (!expression) return undefined;
  const alts = parsed(expression);
  if (!alts) return undefined;
  const found: { node: LicenseNode; rule: ShareAlikeRule }[] = [];
  for (const alt of alts) {
    const inAlt = alt.flatMap((node) => {
      const rule = ruleOf(node);
      return rule ? [{ node, rule }] : [];
    });
    if (inAlt.length === 0) return undefined;
    found.push(...inAlt);
  }
  return {
    upstream: expression,
    licenses: [...new Set(found.map((f) => text(f.node)))],
    compatible: [...new Set(found.flatMap((f) => f.rule.compatible))],
    strength: found.every((f) => f.rule.strength === 'weak') ? 'weak' : 'strong',
  };
}

/** True when every alternative of `expression` keeps at least one licence the requirement allows. */
export function keepsShareAlike(expression: string | undefined, req: ShareAlikeRequirement): boolean {
  if (!expression) return false;
  const alts = parsed(expression);
  if (!alts) return false;
  return alts.every((alt) =>
    alt.some((node) => {
      try {
        return satisfies(text(node), req.compatible);
      } catch {
        return false;
      }
    }),
  );
}

function describe(req: ShareAlikeRequirement): string {
  const kind =
    req.strength === 'weak' ? 'a weakly reciprocal (file-level share-alike) licence' : 'a share-alike licence';
  const list = req.compatible.map((c) => (c.endsWith('+') ? `${c.slice(0, -1)} or later` : c)).join(', ');
  return `${req.licenses.join(' and ')} is ${kind}: a derived design must stay under ${list}`;
}

type Violation = Omit<FieldError, 'message'> & { message: Message };

// English keeps its sentence (lists with "and", "or later"); other languages name the licences in SPDX terms (a "+"
// is "or later") inside the catalogue's sentence
function violations(upstream: Licenses, derived: Licenses, upstreamRef: string, at: string): Violation[] {
  const errors: Violation[] = [];
  for (const [key, expression] of Object.entries(upstream)) {
    const req = shareAlikeRequirement(expression);
    if (!req || keepsShareAlike(derived[key], req)) continue;
    const got = derived[key];
    const english = `${upstreamRef} is licensed ${expression} (${key}); ${describe(req)}; ${got ? `"${got}" is not compatible` : 'the licence may not be dropped'}`;
    const values = {
      ref: upstreamRef,
      expression: expression ?? '',
      key,
      licenses: req.licenses.join(', '),
      strength: req.strength,
      compatible: req.compatible.join(', '),
    };
    errors.push({
      field: `${at}/${key}`,
      value: got ?? null,
      message: got
        ? msg('registry.shareAlike', { ...values, got }, english)
        : msg('registry.shareAlikeDropped', values, english),
    });
  }
  return errors;
}

/** Field errors for every licence key whose upstream licence is share-alike and the derived licence breaks it. */
export function shareAlikeViolations(
  upstream: Licenses,
  derived: Licenses,
  upstreamRef: string,
  at = '/licenses',
): FieldError[] {
  return violations(upstream, derived, upstreamRef, at).map((e) => ({ ...e, message: renderMessage(e.message) }));
}

/** 422 when a derived design's licences break the share-alike licences of the version it derives from. */
export function checkShareAlike(upstream: Licenses, derived: Licenses, upstreamRef: string, at = '/licenses'): void {
  const errors = violations(upstream, derived, upstreamRef, at);
  if (errors.length)
    throw new AppError('unprocessable', (locale) => errors.map((e) => renderMessage(e.message, locale)).join('. '), {
      errors,
    });
}

export interface LicenseFlag {
  field: string;
  license: string;
  flag: 'non-commercial' | 'no-derivatives' | 'custom' | 'unknown';
  message: string;
}

/**
 * Flags licences that are not commons licences: non-commercial or no-derivatives Creative Commons
 * variants, custom LicenseRef- texts, unparseable expressions. A flag informs; it never refuses.
 */
export function licenseFlags(licenses: Licenses): LicenseFlag[] {
  const flags: LicenseFlag[] = [];
  for (const [field, expression] of Object.entries(licenses)) {
    if (!expression) continue;
    const alts = parsed(expression);
    if (!alts) {
      flags.push({
        field,
        license: expression,
        flag: 'unknown',
        message: `"${expression}" is not an SPDX expression Andecha recognises`,
      });
      continue;
    }
    const seen = new Set<string>();
    for (const node of alts.flat()) {
      if (seen.has(node.license)) continue;
      seen.add(node.license);
      const id = node.license;
      if (id.startsWith('CC-BY-NC'))
        flags.push({
          field,
          license: id,
          flag: 'non-commercial',
          message: `${id} forbids commercial use: workshops may not sell what they build from it`,
        });
      if (id.startsWith('CC-BY-ND') || id.startsWith('CC-BY-NC-ND'))
        flags.push({
          field,
          license: id,
          flag: 'no-derivatives',
          message: `${id} forbids derived designs: forks may not be shared`,
        });
      if (id.startsWith('LicenseRef-') || id.startsWith('DocumentRef-'))
        flags.push({
          field,
          license: id,
          flag: 'custom',
          message: `${id} is a custom licence: read its text before building or forking`,
        });
    }
  }
  return flags;
}
