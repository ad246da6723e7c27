/**
 * The break-glass monitor's synthesized rule, matched (with EventBridge semantics, see
 * test/README.md) against real-shaped CloudTrail events.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BreakGlassMonitor } from '../../lib/constructs/guardrails/break-glass-monitor';
import { AlarmTopic } from '../../lib/constructs/shared/alarm-topic';
import { matchesEventPattern } from '../helpers/event-pattern';
import { roleSessionCall } from '../workflow/events';

const BREAK_GLASS = 'arn:aws:iam::111111111111:role/incident-break-glass';
const app = new App();
const stack = new Stack(app, 'BreakGlass', { env: { account: '111111111111', region: 'eu-west-1' } });
const topic = new AlarmTopic(stack, 'Alarms');
const monitor = new BreakGlassMonitor(stack, 'BreakGlass', {
  breakGlassPrincipalArn: BREAK_GLASS,
  alarmTopic: topic.topic,
});
const template = Template.fromStack(stack);
const rule = template.findResources('AWS::Events::Rule');
const [ruleResource] = Object.values(rule);
const pattern = ruleResource!.Properties.EventPattern;

const at = { eventTime: '2027-12-01T12:00:00Z' };
const assumeRoleOf = (roleArn: string) => {
  const event = roleSessionCall('police-analysts', {
    ...at,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
  });
  return { ...event, detail: { ...event.detail, requestParameters: { roleArn, roleSessionName: 'incident-42' } } };
};

describe('BreakGlassMonitor', () => {
  it.each([
    ['a Rekognition call from a break-glass session', true, roleSessionCall('incident-break-glass', at)],
    [
      'an intake upload from a break-glass session',
      true,
      roleSessionCall('incident-break-glass', { ...at, eventSource: 's3.amazonaws.com', eventName: 'PutObject' }),
    ],
    ['an AssumeRole of the break-glass role', true, assumeRoleOf(BREAK_GLASS)],
    ['an AssumeRole of another role', false, assumeRoleOf('arn:aws:iam::111111111111:role/other')],
    ['a call from another role', false, roleSessionCall('police-analysts', at)],
  ])('%s: matched %s', (_label, expected, event) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('sees read-only calls (Detect*, Search*) and publishes each use to the alarm topic', () => {
    expect(ruleResource!.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(ruleResource!.Properties.Targets).toHaveLength(1);
    expect(ruleResource!.Properties.Targets[0].Arn).toEqual({
      Ref: stack.getLogicalId(topic.topic.node.defaultChild as never),
    });
  });

  it('alarms on the first matched event to the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MatchedEvents',
      Namespace: 'AWS/Events',
      Threshold: 1,
      AlarmActions: [{ Ref: stack.getLogicalId(topic.topic.node.defaultChild as never) }],
    });
    expect(monitor.alarm).toBeDefined();
  });

  it('passes the AwsSolutions checks', () => {
    expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
  });
});
