// One behaviour suite for every BlobStore backend: the fs and S3 tests run it against a real store.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  BlobMismatchError,
  BlobMissingError,
  BlobTooLargeError,
  type BlobStore,
} from '../../server/src/storage/blob-store.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function listAll(store: BlobStore): Promise<string[]> {
  const out: string[] = [];
  for await (const s of store.list()) out.push(s);
  return out.sort();
}

/** Streams `total` bytes in chunks, so a store sees a multi-part upload, then fails with `failAfter` when given. */
function chunked(bytes: Buffer, chunk: number, failAfter?: number): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && at >= failAfter) return void this.destroy(new Error('client went away'));
      if (at >= bytes.length) return void this.push(null);
      this.push(bytes.subarray(at, at + chunk));
      at += chunk;
    },
  });
}

/**
 * `open` gives a fresh, empty store per test; `leftovers` lists anything else the backend holds
 * (temporary files or objects), which must be empty after a failed put.
 */
export function blobStoreBehaviour(
  name: string,
  open: () => Promise<{ store: BlobStore; leftovers: () => Promise<string[]>; close: () => Promise<void> }>,
) {
  describe(`${name} blob store`, () => {
    it('stores a stream under its sha256 and gives the same bytes back, whole and by range', async () => {
      const { store, close } = await open();
      try {
        const bytes = randomBytes(12 * 1024 * 1024 + 123);
        // chunks that do not divide a store's write pieces or parts evenly
        const put = await store.put(chunked(bytes, 100_000));
        expect(put).toEqual({ sha256: sha(bytes), size: bytes.length });
        // verified by re-reading, not by trusting put's answer
        expect(sha(await readAll(await store.get(put.sha256)))).toBe(sha(bytes));
        expect(sha(await store.getBuffer(put.sha256))).toBe(sha(bytes));
        const part = await readAll(await store.get(put.sha256, { start: 1000, end: 1999 }));
        expect(part.equals(bytes.subarray(1000, 2000))).toBe(true);
        const tail = await readAll(await store.get(put.sha256, { start: bytes.length - 1, end: bytes.length - 1 }));
        expect([...tail]).toEqual([bytes[bytes.length - 1]]);
        expect((await store.stat(put.sha256))?.size).toBe(bytes.length);
      } finally {
        await close();
      }
    });

    it('stores the same bytes from chunks far larger than its write pieces, and from one buffer', async () => {
      const { store, close } = await open();
      try {
        const bytes = randomBytes(9 * 1024 * 1024 + 77);
        // a small chunk, then chunks of several pieces and a remainder (a body already in memory arrives so)
        const put = await store.put(
          Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000, 5_000_123), bytes.subarray(5_000_123)]),
        );
        expect(put).toEqual({ sha256: sha(bytes), size: bytes.length });
        expect(sha(await store.getBuffer(put.sha256))).toBe(sha(bytes));
        const other = randomBytes(7 * 1024 * 1024 + 5);
        const whole = await store.putBuffer(other);
        expect(whole).toEqual({ sha256: sha(other), size: other.length });
        expect((await store.getBuffer(whole.sha256)).equals(other)).toBe(true);
      } finally {
        await close();
      }
    });

    it('answers has, list and delete, and stores the same bytes once', async () => {
      const { store, close } = await open();
      try {
        const a = await store.putBuffer(Buffer.from('alpha'));
        const again = await store.putBuffer(Buffer.from('alpha'));
        const b = await store.putBuffer(Buffer.from('beta'));
        const empty = await store.putBuffer(new Uint8Array(0));
        expect(again).toEqual(a);
        expect(empty).toEqual({ sha256: sha(new Uint8Array(0)), size: 0 });
        expect(await store.has(a.sha256)).toBe(true);
        expect(await store.has(sha(Buffer.from('gamma')))).toBe(false);
        expect(await store.has('not-a-hash')).toBe(false);
        expect(await listAll(store)).toEqual([a.sha256, b.sha256, empty.sha256].sort());
        await store.delete(a.sha256);
        expect(await store.has(a.sha256)).toBe(false);
        expect(await store.stat(a.sha256)).toBeUndefined();
        await expect(store.get(a.sha256)).rejects.toBeInstanceOf(BlobMissingError);
        await expect(store.getBuffer(a.sha256)).rejects.toBeInstanceOf(BlobMissingError);
        expect(await listAll(store)).toEqual([b.sha256, empty.sha256].sort());
        await store.ping();
      } finally {
        await close();
      }
    });

    it('refuses a stream past maxBytes and keeps nothing of it', async () => {
      const { store, leftovers, close } = await open();
      try {
        const bytes = randomBytes(6 * 1024 * 1024);
        await expect(store.put(chunked(bytes, 64 * 1024), { maxBytes: 5 * 1024 * 1024 })).rejects.toBeInstanceOf(
          BlobTooLargeError,
        );
        expect(await listAll(store)).toEqual([]);
        expect(await leftovers()).toEqual([]);
        expect(await store.has(sha(bytes))).toBe(false);
      } finally {
        await close();
      }
    });

    it('keeps bytes only if they hash to the expected sha256, and nothing of them otherwise', async () => {
      const { store, leftovers, close } = await open();
      try {
        const bytes = randomBytes(3 * 1024 * 1024 + 7);
        const announced = sha(Buffer.concat([bytes, Buffer.from('x')]));
        const err = await store
          .put(chunked(bytes, 256 * 1024), { expectSha256: announced })
          .catch((e: unknown) => e as BlobMismatchError);
        expect(err).toBeInstanceOf(BlobMismatchError);
        expect(err).toMatchObject({ expected: announced, actual: sha(bytes) });
        expect(await listAll(store)).toEqual([]);
        expect(await leftovers()).toEqual([]);
        expect(await store.put(chunked(bytes, 256 * 1024), { expectSha256: sha(bytes) })).toEqual({
          sha256: sha(bytes),
          size: bytes.length,
        });
        expect(await listAll(store)).toEqual([sha(bytes)]);
      } finally {
        await close();
      }
    });

    it('keeps nothing when the source fails half way', async () => {
      const { store, leftovers, close } = await open();
      try {
        const bytes = randomBytes(10 * 1024 * 1024);
        await expect(store.put(chunked(bytes, 256 * 1024, 7 * 1024 * 1024))).rejects.toThrow('client went away');
        expect(await listAll(store)).toEqual([]);
        expect(await leftovers()).toEqual([]);
      } finally {
        await close();
      }
    });
  });
}
