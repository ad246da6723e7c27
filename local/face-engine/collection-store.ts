/**
 * Face collections persisted as JSON, one file per collection (`<folder>/<CollectionId>.json`).
 * Files are re-read on every operation (no cache) so that two engines on one folder, or an engine
 * restarted on it, see the same collections; writes go to a temporary file then a rename, so a
 * crash never leaves half a collection. Writes to one collection are serialised.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ResourceAlreadyExistsError, ResourceNotFoundError } from './errors';

/** A face as stored: what Rekognition returns about it, plus the embedding it is matched on. */
export interface StoredFace {
  readonly FaceId: string;
  readonly ImageId: string;
  readonly ExternalImageId?: string;
  readonly BoundingBox: { Width: number; Height: number; Left: number; Top: number };
  readonly Confidence: number;
  readonly IndexedAt: string;
  readonly embedding: number[];
}

/** The content of one collection file. */
export interface StoredCollection {
  readonly CollectionId: string;
  readonly CollectionArn: string;
  readonly FaceModelVersion: string;
  readonly CreationTimestamp: string;
  readonly faces: StoredFace[];
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Reads and writes collection files in one folder. */
export class CollectionStore {
  private readonly locks = new Map<string, Promise<unknown>>();

  /** @param folder where the collection files live; created on first write. */
  constructor(readonly folder: string) {}

  private fileOf(collectionId: string): string {
    // Collection ids are validated against Rekognition's pattern ([a-zA-Z0-9_.-]) before they get
    // here, so they cannot contain a path separator.
    return path.join(this.folder, `${collectionId}.json`);
  }

  /** The collection, or `undefined` when it does not exist. */
  async find(collectionId: string): Promise<StoredCollection | undefined> {
    try {
      return JSON.parse(await readFile(this.fileOf(collectionId), 'utf8')) as StoredCollection;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** @throws ResourceNotFoundError when the collection does not exist. */
  async get(collectionId: string): Promise<StoredCollection> {
    const found = await this.find(collectionId);
    if (!found) throw new ResourceNotFoundError(`The collection id: ${collectionId} does not exist`);
    return found;
  }

  /** @throws ResourceAlreadyExistsError when a collection with this id exists. */
  async create(collection: StoredCollection): Promise<void> {
    await this.exclusive(collection.CollectionId, async () => {
      if (await this.find(collection.CollectionId)) {
        throw new ResourceAlreadyExistsError(`The collection id: ${collection.CollectionId} already exists`);
      }
      await this.write(collection);
    });
  }

  /** Appends faces to an existing collection. @throws ResourceNotFoundError */
  async addFaces(collectionId: string, faces: StoredFace[]): Promise<void> {
    await this.exclusive(collectionId, async () => {
      const collection = await this.get(collectionId);
      await this.write({ ...collection, faces: [...collection.faces, ...faces] });
    });
  }

  /** Removes the collection and its faces. @throws ResourceNotFoundError */
  async delete(collectionId: string): Promise<void> {
    await this.exclusive(collectionId, async () => {
      try {
        await unlink(this.fileOf(collectionId));
      } catch (error) {
        if (isMissing(error)) throw new ResourceNotFoundError(`The collection id: ${collectionId} does not exist`);
        throw error;
      }
    });
  }

  private async write(collection: StoredCollection): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = this.fileOf(collection.CollectionId);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(collection)}\n`, 'utf8');
    await rename(temporary, target);
  }

  private async exclusive<T>(collectionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(collectionId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(collectionId, settled);
    try {
      return await next;
    } finally {
      if (this.locks.get(collectionId) === settled) this.locks.delete(collectionId);
    }
  }
}
