// The objects this instance serves under /ap/{kind}/{uuid} (build reports, proposals, discussions and their replies): an object's URI, and which of
// ours a URI names — a fragment (an Offer's `#offer`) names the same object.
const uuid = '[0-9a-f-]{36}';

export function objectAddresses(
  publicUrl: string,
  kind: 'builds' | 'proposals' | 'discussions' | 'discussion-replies',
) {
  const origin = new URL(publicUrl).origin;
  const path = new RegExp(`^/ap/${kind}/(${uuid})$`);
  return {
    uri: (id: string): string => new URL(`/ap/${kind}/${id}`, publicUrl).href,
    /** the id of one of our objects of this kind, or undefined for anything else (another host, another path) */
    idOf: (uri: URL | null | undefined): string | undefined =>
      uri && uri.origin === origin ? path.exec(uri.pathname)?.[1] : undefined,
  };
}
