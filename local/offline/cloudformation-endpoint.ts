/**
 * A CloudFormation endpoint that answers `DescribeStacks` for the offline stack, over the Query
 * protocol the SDK's CloudFormation client speaks, with the template's outputs resolved to the
 * local resource names. With `AWS_ENDPOINT_URL_CLOUDFORMATION` pointing here, the commands that
 * read a deployed stack (`govrec status|report|decide --stack`) run against the stand-ins.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalTemplate } from '../template';

export interface CloudFormationEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The outputs it serves, resolved. */
  readonly outputs: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const xml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

/** The template's outputs with every intrinsic resolved to the local names. */
export const resolvedOutputs = (template: LocalTemplate): Record<string, string> =>
  Object.fromEntries(
    Object.entries(template.template.Outputs ?? {}).map(([key, output]) => [
      key,
      String(template.resolve(output.Value)),
    ]),
  );

/**
 * @example
 * const cfn = await startCloudFormationEndpoint(app.template, 'GovernedRecognition');
 * process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cfn.endpoint;
 */
export const startCloudFormationEndpoint = async (
  template: LocalTemplate,
  stackName: string,
): Promise<CloudFormationEndpoint> => {
  const outputs = resolvedOutputs(template);
  const stackId = `arn:aws:cloudformation:${template.env.region}:${template.env.accountId}:stack/${stackName}/offline`;
  const answer = (response: ServerResponse, status: number, body: string): void => {
    response.writeHead(status, { 'content-type': 'text/xml' });
    response.end(`<?xml version="1.0"?>\n${body}`);
  };
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const form = new URLSearchParams(text);
      const requested = form.get('StackName');
      if (form.get('Action') !== 'DescribeStacks') {
        answer(
          response,
          400,
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Only DescribeStacks is served offline</Message></Error></ErrorResponse>`,
        );
        return;
      }
      if (requested !== stackName && requested !== stackId) {
        answer(
          response,
          400,
          `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${xml(requested ?? '')} does not exist</Message></Error></ErrorResponse>`,
        );
        return;
      }
      const members = Object.entries(outputs)
        .map(
          ([key, value]) =>
            `<member><OutputKey>${xml(key)}</OutputKey><OutputValue>${xml(value)}</OutputValue></member>`,
        )
        .join('');
      answer(
        response,
        200,
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${xml(stackName)}</StackName><StackId>${xml(stackId)}</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2027-01-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    outputs,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
