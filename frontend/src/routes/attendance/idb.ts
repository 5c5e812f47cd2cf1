// The attendance screen's IndexedDB database, one per signed-in person (a
// phone shared by two teachers never sends one's marks under the other's
// name): the mark queue's stores and a cache of the week's sessions and
// their rosters, so that the screen opens with no connection.

import type { QueueStore, StoreName } from './queue';

const STORES: readonly StoreName[] = ['marks', 'batches', 'conflicts', 'rejections', 'meta', 'cache'];

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/** Opens (creating on first use) the person's attendance database. */
export function openDb(personId: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(`densach-attendance-${personId}`, 1);
    r.onupgradeneeded = () => {
      for (const s of STORES) if (!r.result.objectStoreNames.contains(s)) r.result.createObjectStore(s);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** The queue's records and the cache in one IndexedDB database. */
export class IdbStore implements QueueStore {
  constructor(private readonly db: IDBDatabase) {}

  async all<T>(store: StoreName): Promise<T[]> {
    return req(this.db.transaction(store).objectStore(store).getAll()) as Promise<T[]>;
  }

  async get<T>(store: StoreName, key: string): Promise<T | undefined> {
    return req(this.db.transaction(store).objectStore(store).get(key)) as Promise<T | undefined>;
  }

  async put(store: StoreName, key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction(store, 'readwrite');
    tx.objectStore(store).put(plain(value), key);
    await done(tx);
  }

  async del(store: StoreName, keys: string[]): Promise<void> {
    if (!keys.length) return;
    const tx = this.db.transaction(store, 'readwrite');
    for (const k of keys) tx.objectStore(store).delete(k);
    await done(tx);
  }
}

/** A plain copy (IndexedDB cannot clone Svelte's state proxies). */
function plain(v: unknown): unknown {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}
