// Who follows a remote design, as its home's followers collection says: the count and the instances of its items,
// bounded in pages and items (a popular design must not stall a fetch). Read past Fedify's document cache, which
// keeps every remote document for 5 minutes: the Update that says the followers changed would otherwise find the
// collection as it was and a lineage would show a stale count.
import {
  Collection,
  CollectionPage,
  fetchDocumentLoader,
  type Context,
  type DocumentLoader,
  type Service,
} from '@fedify/fedify';

/** At most this many followers are looked at for their instances… */
export const maxFollowerItems = 1000;
/** …over at most this many pages of the collection. */
export const maxFollowerPages = 5;

export interface RemoteFollowers {
  count: number;
  instances: string[];
}

/** undefined when the design has no followers collection or it did not answer (what was known is kept). */
export async function remoteFollowersOf(
  actor: Service,
  ctx: Context<void>,
  allowPrivate: boolean,
): Promise<RemoteFollowers | undefined> {
  const documentLoader: DocumentLoader = (url) => fetchDocumentLoader(url, allowPrivate);
  const options = { documentLoader, contextLoader: ctx.contextLoader };
  try {
    const collection = await actor.getFollowers(options);
    if (!(collection instanceof Collection)) return undefined;
    const hosts = new Set<string>();
    let seen = 0;
    const take = (page: Collection) => {
      for (const id of page.itemIds) {
        if (seen++ >= maxFollowerItems) return;
        hosts.add(id.host);
      }
    };
    take(collection);
    let page: Collection | null = collection.firstId ? await collection.getFirst(options) : null;
    for (let n = 0; page && n < maxFollowerPages && seen < maxFollowerItems; n++) {
      take(page);
      page = page instanceof CollectionPage && page.nextId ? await page.getNext(options) : null;
    }
    return { count: collection.totalItems ?? seen, instances: [...hosts].sort() };
  } catch (err) {
    console.warn(`federation: the followers of ${actor.id?.href} were not read: ${(err as Error).message}`);
    return undefined;
  }
}
