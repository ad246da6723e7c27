/**
 * Public quotas and prices the paper estimates use, each with where it was read and when.
 * US East (N. Virginia) list prices, on-demand, no free tier, first volume tier. Values the
 * sources did not state are marked `assumed` and say so in the README.
 */

export interface SourcedFigure {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  /** When the source was read for this project. */
  readonly read: string;
  readonly status: 'stated' | 'assumed';
  readonly note?: string;
}

const READ = '2026-11-26';

export const SOURCES = {
  rekognitionSearchTpsBig: {
    value: 50,
    unit: 'TPS',
    status: 'stated',
    read: READ,
    source:
      'https://dev.to/ashishsikka/rekognition-provisionedthroughputexceededexception-tps-limits-and-backoff-that-holds-up-399g',
    note: 'default for IndexFaces / SearchFacesByImage / SearchFaces in us-east-1, us-west-2, eu-west-1 (a practitioner article; the AWS quota table itself was not readable here)',
  },
  rekognitionSearchTpsOther: {
    value: 5,
    unit: 'TPS',
    status: 'stated',
    read: READ,
    source:
      'https://dev.to/ashishsikka/rekognition-provisionedthroughputexceededexception-tps-limits-and-backoff-that-holds-up-399g',
    note: 'the same operations in most other regions',
  },
  rekognitionDetectTps: {
    value: 50,
    unit: 'TPS',
    status: 'assumed',
    read: READ,
    source: 'https://docs.aws.amazon.com/general/latest/gr/rekognition.html',
    note: 'DetectFaces default not found in the sources read; assumed equal to the search quota. Check Service Quotas in the console',
  },
  rekognitionImagePrice: {
    value: 0.001,
    unit: 'USD/image',
    status: 'stated',
    read: READ,
    source: 'https://aws.amazon.com/rekognition/pricing/ (via the api-evangelist transcription of 2026-10-07)',
    note: 'first 1 M images/month; next tier 0.0008. Stated for Group 2 (DetectFaces); Group 1 (SearchFacesByImage, IndexFaces) first tier assumed equal',
  },
  lambdaArmGbSecond: {
    value: 0.0000133334,
    unit: 'USD/GB-s',
    status: 'stated',
    read: READ,
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    note: 'arm64, first 7.5 B GB-s/month',
  },
  lambdaRequest: {
    value: 0.2 / 1e6,
    unit: 'USD/request',
    status: 'stated',
    read: READ,
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    note: '$0.20 per 1 M requests',
  },
  s3Put: {
    value: 0.005 / 1000,
    unit: 'USD/request',
    status: 'stated',
    read: READ,
    source: 'https://c3x.dev/blog/s3-request-fees-explained',
    note: 'S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000',
  },
  s3Get: {
    value: 0.0004 / 1000,
    unit: 'USD/request',
    status: 'stated',
    read: READ,
    source: 'https://c3x.dev/blog/s3-request-fees-explained',
    note: 'S3 Standard GET, HEAD: $0.0004 per 1,000',
  },
  dynamoWrite: {
    value: 0.625 / 1e6,
    unit: 'USD/WRU',
    status: 'stated',
    read: READ,
    source: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    note: 'on-demand, after the November 2024 reduction ($1.25 before); 1 WRU per write up to 1 KB',
  },
  dynamoRead: {
    value: 0.125 / 1e6,
    unit: 'USD/RRU',
    status: 'stated',
    read: READ,
    source: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    note: 'on-demand; 1 RRU per strongly consistent read up to 4 KB',
  },
  cloudTrailDataEvent: {
    value: 0.1 / 100_000,
    unit: 'USD/event',
    status: 'stated',
    read: READ,
    source: 'https://aws.amazon.com/cloudtrail/pricing/',
    note: 'data events $0.10 per 100,000',
  },
} satisfies Record<string, SourcedFigure>;
