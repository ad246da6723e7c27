/**
 * The intake bucket policy, as a pure function so its exact statements can be read and tested
 * in one place. The organisation in an upload's key is attested by IAM: a principal may write
 * only under `incoming/<value of its principal tag>/`, and everything else is explicitly denied.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

/** Every upload lives under this prefix; object-created events are filtered on it. */
export const INCOMING_PREFIX = 'incoming/';

/**
 * The statements binding uploads to the uploader's organisation tag.
 *
 * - `AllowUploadToOwnOrganisationPrefix`: registered roles of this account may put objects under
 *   their own prefix (they still need an identity policy allowing `s3:PutObject`).
 * - `DenyUploadOutsideOwnOrganisationPrefix`: every principal is denied `s3:PutObject` anywhere
 *   else (NotResource), which no identity policy can override.
 * - `DenyUploadWithoutOrganisationTag`: a principal without the tag cannot upload at all (a
 *   missing policy variable must not be left to interpretation).
 *
 * @example
 * intakeBucketPolicyStatements(bucket.bucketArn, 'govrec:org', ['arn:aws:iam::111111111111:role/uploader']).forEach((s) => bucket.addToResourcePolicy(s));
 */
export const intakeBucketPolicyStatements = (
  bucketArn: string,
  orgPrincipalTag: string,
  uploaderRoleArns: readonly string[],
): iam.PolicyStatement[] => {
  const ownPrefix = `${bucketArn}/${INCOMING_PREFIX}\${aws:PrincipalTag/${orgPrincipalTag}}/*`;
  const statements = [
    new iam.PolicyStatement({
      sid: 'DenyUploadOutsideOwnOrganisationPrefix',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      notResources: [ownPrefix],
    }),
    new iam.PolicyStatement({
      sid: 'DenyUploadWithoutOrganisationTag',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/*`],
      conditions: { Null: { [`aws:PrincipalTag/${orgPrincipalTag}`]: 'true' } },
    }),
  ];
  if (uploaderRoleArns.length > 0) {
    statements.unshift(
      new iam.PolicyStatement({
        sid: 'AllowUploadToOwnOrganisationPrefix',
        effect: iam.Effect.ALLOW,
        // The account principal with a condition rather than the roles as principals: a bucket
        // policy naming a role that does not exist yet fails to deploy (roles belong to the
        // organisations' teams), and a fixed principal keeps the policy non-public for S3.
        principals: [new iam.AccountRootPrincipal()],
        actions: ['s3:PutObject'],
        resources: [ownPrefix],
        conditions: { ArnEquals: { 'aws:PrincipalArn': [...uploaderRoleArns] } },
      }),
    );
  }
  return statements;
};
