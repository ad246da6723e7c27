/**
 * A service double for the enforcement workflows: IAM (see `fake-iam.ts`), a DynamoDB ledger
 * with conditional puts, SNS, CloudWatch metrics, EventBridge Scheduler and Step Functions
 * StartExecution, all in memory and all recorded. It implements `TaskBindings['service']`.
 */
import { FakeIam, sfnError } from './fake-iam';
import type { Json } from './runner';

type Attribute = { S?: string; N?: string; BOOL?: boolean };
type Item = Record<string, Attribute>;

/** The in-memory services. */
export class FakeAws {
  readonly iam: FakeIam;
  /** Items per table name, keyed `pk|sk`. */
  readonly tables = new Map<string, Map<string, Item>>();
  readonly published: { TopicArn: string; Subject?: string; Message: string }[] = [];
  readonly metrics: { Namespace: string; MetricData: { MetricName: string; Value: number }[] }[] = [];
  readonly schedules = new Map<string, Record<string, unknown>>();
  readonly startedExecutions: { StateMachineArn: string; Input: unknown }[] = [];

  constructor(
    accountId = '111111111111',
    /** Region of the ARNs it hands out (e.g. created schedules). */
    private readonly region = 'eu-west-1',
  ) {
    this.iam = new FakeIam(accountId);
  }

  /** All items of a table (insertion order). */
  items(table: string): Item[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  /** Serve one call (bind as `TaskBindings.service`). */
  service = (service: string, action: string, parameters: Json): Json => {
    const params = parameters as Record<string, unknown>;
    switch (`${service}:${action}`) {
      case 'dynamodb:putItem':
        return this.putItem(params);
      case 'dynamodb:getItem': {
        const item = this.table(String(params.TableName)).get(keyOf(params.Key as Item));
        return (item === undefined ? {} : { Item: item }) as Json;
      }
      case 'sns:publish':
        this.published.push({
          TopicArn: String(params.TopicArn),
          Subject: params.Subject as string | undefined,
          Message: String(params.Message),
        });
        return { MessageId: `msg-${this.published.length}` };
      case 'cloudwatch:putMetricData':
        this.metrics.push(params as never);
        return {};
      case 'scheduler:createSchedule': {
        const name = `${String(params.GroupName ?? 'default')}/${String(params.Name)}`;
        if (this.schedules.has(name)) throw sfnError('Scheduler.ConflictException', `Schedule ${name} already exists.`);
        this.schedules.set(name, params);
        return { ScheduleArn: `arn:aws:scheduler:${this.region}:${this.iam.accountId}:schedule/${name}` };
      }
      case 'states:startExecution':
        this.startedExecutions.push({
          StateMachineArn: String(params.StateMachineArn),
          Input: typeof params.Input === 'string' ? JSON.parse(params.Input) : params.Input,
        });
        return {
          ExecutionArn: `${String(params.StateMachineArn).replace(':stateMachine:', ':execution:')}:run-${this.startedExecutions.length}`,
          StartDate: '2027-01-01T00:00:00Z',
        };
      default:
        if (service === 'iam') return this.iam.call(action, params) as Json;
        throw sfnError('Local.UnsupportedService', `FakeAws does not implement ${service}:${action}`);
    }
  };

  private table(name: string): Map<string, Item> {
    let table = this.tables.get(name);
    if (table === undefined) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }

  private putItem(params: Record<string, unknown>): Json {
    const item = params.Item as Item;
    const table = this.table(String(params.TableName));
    const key = keyOf(item);
    const condition = params.ConditionExpression as string | undefined;
    // The workflows only use attribute_not_exists(<key attribute>), i.e. "no item with this key yet".
    if (condition !== undefined) {
      if (!/^attribute_not_exists\((pk|sk)\)$/.test(condition)) throw sfnError('Local.UnsupportedCondition', condition);
      if (table.has(key)) throw sfnError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    table.set(key, item);
    return {};
  }
}

const keyOf = (item: Item): string => `${item.pk?.S ?? ''}|${item.sk?.S ?? ''}`;
