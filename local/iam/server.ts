/**
 * A local endpoint speaking IAM's Query protocol (form-encoded POST, XML answers) for the calls
 * the pipeline makes, so the unchanged @aws-sdk/client-iam reaches the local registry through
 * `AWS_ENDPOINT_URL_IAM`. Any signature is accepted: this is a loopback stand-in.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GovrecError } from '../../lambda/shared/errors';
import { type LocalIamRegistry, type LocalRole, NoSuchEntityError } from './registry';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

const xml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const tagsXml = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([key, value]) => `<member><Key>${xml(key)}</Key><Value>${xml(value)}</Value></member>`)
    .join('');

const roleXml = (role: LocalRole, withTags: boolean): string =>
  `<Path>${xml(role.path)}</Path><RoleName>${xml(role.roleName)}</RoleName><RoleId>${role.roleId}</RoleId>` +
  `<Arn>${xml(role.arn)}</Arn><CreateDate>${role.createDate}</CreateDate><MaxSessionDuration>3600</MaxSessionDuration>` +
  (withTags && Object.keys(role.tags).length > 0 ? `<Tags>${tagsXml(role.tags)}</Tags>` : '');

const ok = (action: string, result: string): string =>
  `<?xml version="1.0"?><${action}Response xmlns="${NS}">` +
  (result === '' ? '' : `<${action}Result>${result}</${action}Result>`) +
  `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

/** Collect `Prefix.member.N.Field` (or `Prefix.member.N`) form fields into an array. */
const members = (form: URLSearchParams, prefix: string, field?: string): string[] => {
  const values: string[] = [];
  for (let index = 1; ; index += 1) {
    const value = form.get(field === undefined ? `${prefix}.member.${index}` : `${prefix}.member.${index}.${field}`);
    if (value === null) return values;
    values.push(value);
  }
};

const required = (form: URLSearchParams, name: string): string => {
  const value = form.get(name);
  if (value === null || value === '') throw new ValidationError(`${name} is required`);
  return value;
};

class ValidationError extends GovrecError {}

/** Answer one IAM Query action against the registry. Exported for tests. */
export const answer = (registry: LocalIamRegistry, form: URLSearchParams): string => {
  const action = required(form, 'Action');
  switch (action) {
    case 'GetRole':
      return ok(action, `<Role>${roleXml(registry.getRole(required(form, 'RoleName')), true)}</Role>`);
    case 'ListRoles': {
      const prefix = form.get('PathPrefix') ?? '/';
      const roles = registry.listRoles().filter((role) => role.path.startsWith(prefix));
      return ok(
        action,
        `<IsTruncated>false</IsTruncated><Roles>${roles.map((role) => `<member>${roleXml(role, false)}</member>`).join('')}</Roles>`,
      );
    }
    case 'ListRoleTags':
      return ok(
        action,
        `<IsTruncated>false</IsTruncated><Tags>${tagsXml(registry.getRole(required(form, 'RoleName')).tags)}</Tags>`,
      );
    case 'GetRolePolicy': {
      const roleName = required(form, 'RoleName');
      const policyName = required(form, 'PolicyName');
      const document = registry.getRolePolicy(roleName, policyName);
      // IAM returns policy documents URL-encoded (RFC 3986); callers decode them.
      return ok(
        action,
        `<RoleName>${xml(roleName)}</RoleName><PolicyName>${xml(policyName)}</PolicyName><PolicyDocument>${xml(encodeURIComponent(document))}</PolicyDocument>`,
      );
    }
    case 'PutRolePolicy':
      registry.putRolePolicy(
        required(form, 'RoleName'),
        required(form, 'PolicyName'),
        required(form, 'PolicyDocument'),
      );
      return ok(action, '');
    case 'DeleteRolePolicy':
      registry.deleteRolePolicy(required(form, 'RoleName'), required(form, 'PolicyName'));
      return ok(action, '');
    case 'TagRole': {
      const keys = members(form, 'Tags', 'Key');
      const values = members(form, 'Tags', 'Value');
      registry.tagRole(
        required(form, 'RoleName'),
        keys.map((Key, index) => ({ Key, Value: values[index] ?? '' })),
      );
      return ok(action, '');
    }
    case 'UntagRole':
      registry.untagRole(required(form, 'RoleName'), members(form, 'TagKeys'));
      return ok(action, '');
    default:
      throw new ValidationError(`The local IAM endpoint does not implement ${action}`);
  }
};

const errorBody = (code: string, message: string): string =>
  `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${xml(code)}</Code>` +
  `<Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export interface LocalIamEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Serve the registry on 127.0.0.1 at a random port. */
export const startIamEndpoint = async (registry: LocalIamRegistry): Promise<LocalIamEndpoint> => {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void readBody(request).then((body) => {
      const form = new URLSearchParams(body);
      let status = 200;
      let text: string;
      try {
        text = answer(registry, form);
      } catch (error) {
        const known = error instanceof NoSuchEntityError;
        status = known ? 404 : 400;
        text = errorBody(
          known
            ? 'NoSuchEntity'
            : (error as Error).name === 'ValidationError'
              ? 'ValidationError'
              : 'MalformedPolicyDocument',
          (error as Error).message,
        );
      }
      response.writeHead(status, { 'content-type': 'text/xml' });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
