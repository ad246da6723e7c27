// Minimal typings for the parts of s3rver 3.7 the offline run uses (the package ships none).
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** A Koa application; `middleware` is Koa's composed-at-listen middleware list. */
  class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    middleware: ((ctx: unknown, next: () => Promise<void>) => Promise<void>)[];
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    reset(): void;
  }
  export = S3rver;
}

declare module 's3rver/lib/models/error' {
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
    readonly code: string;
    readonly status: number;
  }
  export = S3Error;
}

declare module 's3rver/lib/models/account' {
  class AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    static DUMMY_ACCOUNT: AWSAccount;
  }
  export = AWSAccount;
}
