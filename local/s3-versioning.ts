/**
 * Single-version object versioning in front of s3rver.
 *
 * s3rver 3.7 has no versioning: PutBucketVersioning answers NotImplemented, PutObject returns no
 * `x-amz-version-id`, a `versionId` query parameter on Get/Head/Delete is silently ignored (so a
 * delete of "version X" would remove whatever is there now), and a copy source with `?versionId=`
 * fails as NoSuchKey. The pipeline deletes the intake object *version* it decided on, so a silent
 * "acts on the current object" would hide exactly the bug that versioning guards against.
 *
 * Behaviour here, for buckets registered as versioned: every successful write gets a new version
 * id (returned in `x-amz-version-id`); only the newest version is kept. A request naming the
 * current version acts on it; a request naming any other version gets `404 NoSuchVersion` and
 * touches nothing. Deleting by version removes the object (there is no older version to fall back
 * to). A delete *without* a version id writes a delete marker, as S3 does: the object is then
 * NoSuchKey to requests without a version id, while its version stays readable (and deletable) by
 * id; so a caller that should remove a version but only hides it is caught by a read of that
 * version. A new write replaces the hidden version. ListObjects still lists a hidden object, and
 * ListObjectVersions and multi-object delete by version are not supported. Unversioned buckets
 * behave as s3rver does.
 */
import { createHash } from 'node:crypto';
import S3Error from 's3rver/lib/models/error';

/** The current version of each object in the versioned buckets. */
export class VersionRegistry {
  private readonly versioned = new Set<string>();
  private readonly current = new Map<string, string>();
  /** Objects whose current version sits behind a delete marker. */
  private readonly hidden = new Set<string>();
  private counter = 0;

  enableVersioning(bucket: string): void {
    this.versioned.add(bucket);
  }

  isVersioned(bucket: string): boolean {
    return this.versioned.has(bucket);
  }

  /** The current version id of an object, if the bucket is versioned and the object exists. */
  currentVersion(bucket: string, key: string): string | undefined {
    return this.current.get(`${bucket}\n${key}`);
  }

  /** Record a new write. Ids are deterministic (a counter hashed with the key) so runs repeat. */
  newVersion(bucket: string, key: string): string {
    const id = this.nextId(bucket, key);
    this.current.set(`${bucket}\n${key}`, id);
    this.hidden.delete(`${bucket}\n${key}`);
    return id;
  }

  /** Put a delete marker in front of the object; returns the marker's version id. */
  hide(bucket: string, key: string): string {
    this.hidden.add(`${bucket}\n${key}`);
    return this.nextId(bucket, key);
  }

  /** Whether a delete marker hides the object from requests without a version id. */
  isHidden(bucket: string, key: string): boolean {
    return this.hidden.has(`${bucket}\n${key}`);
  }

  forget(bucket: string, key: string): void {
    this.current.delete(`${bucket}\n${key}`);
    this.hidden.delete(`${bucket}\n${key}`);
  }

  private nextId(bucket: string, key: string): string {
    this.counter += 1;
    return createHash('sha256').update(`${bucket}\n${key}\n${this.counter}`).digest('base64url').slice(0, 32);
  }
}

/** The part of a Koa context the middleware touches. */
interface KoaLikeContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  body?: unknown;
  set(field: string, value: string): void;
}

const splitPath = (path: string): { bucket: string; key?: string } => {
  const [, bucket = '', ...rest] = path.split('/');
  const key = rest.length > 0 ? rest.map((part) => decodeURIComponent(part)).join('/') : undefined;
  return { bucket: decodeURIComponent(bucket), key: key === '' ? undefined : key };
};

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

const noSuchVersion = (key: string, versionId: string): Error =>
  new S3Error('NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId });

const noSuchKey = (key: string): Error => new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });

// Sub-resource queries on an object that are not a write of new content.
const SUBRESOURCES = ['tagging', 'acl', 'uploads', 'legal-hold', 'retention', 'select', 'torrent'];

/** Parse `bucket/key?versionId=...` (optionally with a leading slash, URL-encoded). */
const parseCopySource = (raw: string): { bucket: string; key: string; versionId?: string } => {
  const [path = '', query = ''] = raw.split('?');
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const [bucket = '', ...rest] = trimmed.split('/');
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')), versionId };
};

/**
 * Koa middleware implementing the behaviour above; it must run before s3rver's router (the
 * caller puts it first in the middleware list).
 */
export const versioningMiddleware =
  (registry: VersionRegistry) =>
  async (ctx: KoaLikeContext, next: () => Promise<void>): Promise<void> => {
    const { bucket, key } = splitPath(ctx.path);
    if (key === undefined) return next();
    const method = ctx.method.toUpperCase();
    const versionId = single(ctx.query.versionId);
    const subresource = SUBRESOURCES.some((name) => name in ctx.query);

    if (versionId !== undefined && registry.isVersioned(bucket) && registry.currentVersion(bucket, key) !== versionId) {
      throw noSuchVersion(key, versionId);
    }
    // An unversioned bucket has one version, "null"; S3 rejects any other id rather than ignore it.
    if (versionId !== undefined && !registry.isVersioned(bucket) && versionId !== 'null') {
      throw new S3Error('InvalidArgument', 'Invalid version id specified', {
        ArgumentName: 'versionId',
        ArgumentValue: versionId,
      });
    }
    if (versionId === undefined && registry.isVersioned(bucket)) {
      if (method === 'DELETE' && !subresource) {
        // S3 keeps the object and puts a delete marker in front of it (also when there is none).
        ctx.set('x-amz-delete-marker', 'true');
        ctx.set('x-amz-version-id', registry.hide(bucket, key));
        ctx.status = 204;
        ctx.body = null;
        return;
      }
      const isWrite = method === 'PUT' && !subresource;
      if (!isWrite && registry.isHidden(bucket, key)) throw noSuchKey(key);
    }
    const copyHeader = single(ctx.headers['x-amz-copy-source']);
    let copiedVersion: string | undefined;
    if (method === 'PUT' && copyHeader !== undefined) {
      const source = parseCopySource(copyHeader);
      if (source.versionId === undefined && registry.isHidden(source.bucket, source.key)) throw noSuchKey(source.key);
      if (source.versionId !== undefined && registry.isVersioned(source.bucket)) {
        if (registry.currentVersion(source.bucket, source.key) !== source.versionId)
          throw noSuchVersion(source.key, source.versionId);
        copiedVersion = source.versionId;
      }
      // s3rver reads the whole header with decodeURI as `bucket/key`: a `?versionId=` suffix, an
      // encoded `/` (as encodeURIComponent writes it, and S3 accepts) or an encoded `#`/`?` (which
      // decodeURI leaves encoded) would name a missing key. Hand it the raw key with only `%`
      // escaped, which decodeURI maps back exactly. The header was signed as sent, hence
      // allowMismatchedSignatures (s3rver does not verify SigV4 signatures anyway).
      ctx.headers['x-amz-copy-source'] = `${source.bucket}/${source.key.replace(/%/g, '%25')}`;
    }

    await next();

    if (!registry.isVersioned(bucket) || ctx.status >= 300) return;
    const isWrite =
      (method === 'PUT' && !subresource && !('uploadId' in ctx.query)) ||
      (method === 'POST' && 'uploadId' in ctx.query);
    if (isWrite) {
      ctx.set('x-amz-version-id', registry.newVersion(bucket, key));
      if (copiedVersion !== undefined) ctx.set('x-amz-copy-source-version-id', copiedVersion);
    } else if (((method === 'GET' || method === 'HEAD') && !subresource) || 'tagging' in ctx.query) {
      // Reads and tag operations name the version they acted on, as S3 does.
      const current = registry.currentVersion(bucket, key);
      if (current !== undefined) ctx.set('x-amz-version-id', current);
    } else if (method === 'DELETE' && !subresource) {
      if (versionId !== undefined) ctx.set('x-amz-version-id', versionId);
      registry.forget(bucket, key);
    }
  };
