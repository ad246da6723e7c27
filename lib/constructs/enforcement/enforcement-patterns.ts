/**
 * EventBridge patterns for the CloudTrail events that start enforcement, shared by the rules in
 * the enforcement region and the us-east-1 IAM forwarder so both match exactly the same calls.
 */
import type * as events from 'aws-cdk-lib/aws-events';

/** Intake API calls that create an object (the data events the trail logs for the prefix). */
export const INTAKE_WRITES = ['PutObject', 'CopyObject', 'CompleteMultipartUpload'] as const;

/** IAM calls that could create or hide a restricted role, or undo its deny. */
export const IAM_ROLE_CHANGES = [
  'CreateRole',
  'TagRole',
  'UntagRole',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'UpdateAssumeRolePolicy',
] as const;

/**
 * A role session assuming another role (role chaining): the way a restricted session would leave
 * its own deny behind. Sessions only: services and users assuming roles are not chains.
 */
export const roleChainingPattern = (): events.EventPattern =>
  cloudTrailPattern('sts', { eventName: ['AssumeRole'], userIdentity: { type: ['AssumedRole'] } });

/** An EventBridge pattern for CloudTrail API calls of one service, `detail` filters added. */
export const cloudTrailPattern = (service: string, detail: Record<string, unknown> = {}): events.EventPattern => ({
  source: [`aws.${service}`],
  detailType: ['AWS API Call via CloudTrail'],
  detail: { eventSource: [`${service}.amazonaws.com`], ...detail },
});

/**
 * A `detail` filter for calls made by anyone except sessions of `roleArns`. `anything-but` only
 * matches when the field exists, so callers without a role session (IAM users, root) need the
 * second branch of the `$or`.
 */
export const notByRoles = (roleArns: readonly string[]): Record<string, unknown> =>
  roleArns.length === 0
    ? {}
    : {
        $or: [
          { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [...roleArns] }] } } } },
          { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
        ],
      };
