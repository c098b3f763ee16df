// Translated sentences with elements in them (a link, a design's name in bold): the message names each element as an
// ICU argument, so a translation may put the link anywhere in its sentence.
import { Fragment, h, type ComponentChildren } from 'preact';
import { t } from './i18n';

// private-use characters: never in a message nor in the data filled into one
const open = '\uE000';
const close = '\uE001';

/** Markers for the ICU arguments `names` that elements fill: spread into t()'s values, then fill with withElements. */
export function slots(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, `${open}${name}${close}`]));
}

/**
 * A message translated with slots() in its values, as children: each marker replaced by its element.
 * `withElements(t(key, { by, ...slots('from') }), { from: <a …>…</a> })`.
 */
export function withElements(message: string, elements: Record<string, ComponentChildren>): ComponentChildren[] {
  return message
    .split(new RegExp(`${open}([^${close}]*)${close}`))
    .map((piece, index) => (index % 2 === 0 ? piece : h(Fragment, { key: index }, elements[piece])))
    .filter((piece) => piece !== '');
}

/** `withElements(t(key, { ...values, ...slots(...names of parts) }), parts)` in one call. */
export function tParts(
  key: string,
  values: Record<string, unknown>,
  parts: Record<string, ComponentChildren>,
): ComponentChildren[] {
  return withElements(t(key, { ...values, ...slots(...Object.keys(parts)) }), parts);
}

/**
 * A message with rich-text tags (`<signIn>Sign in</signIn> or …`) as children: each tag becomes the element its
 * function makes of the text the translation put inside it, so links and words stay one sentence for the translator.
 * i18next-icu formats with `ignoreTag`, so the tags come back as written and are matched here by name; they do not nest.
 */
export function tRich(
  key: string,
  tags: Record<string, (text: string) => ComponentChildren>,
  values: Record<string, unknown> = {},
): ComponentChildren[] {
  const pattern = new RegExp(`<(${Object.keys(tags).join('|')})>([^<]*)</\\1>`);
  const pieces = t(key, values).split(pattern);
  const children: ComponentChildren[] = [];
  for (let i = 0; i < pieces.length; i += 3) {
    if (pieces[i]) children.push(pieces[i]);
    if (i + 2 < pieces.length) children.push(h(Fragment, { key: i }, tags[pieces[i + 1]](pieces[i + 2])));
  }
  return children;
}
