import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import {
  canonicalForm,
  canonicalNumber,
  carriedHash,
  contentHash,
  type LedgerItem,
} from '../../../lambda/evidence/canonical';
import { CanonicalFormError } from '../../../lambda/evidence/errors';
import { seal } from '../../../lambda/evidence/seal';
import { AUDIT_TRANSLATE_CONFIG } from '../../../lambda/shared/audit';

describe('canonicalNumber', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['+7', '7'],
    ['001.500', '1.5'],
    ['1.0', '1'],
    ['15e-1', '1.5'],
    ['-12e-3', '-0.012'],
    ['1e3', '1000'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['123.456E2', '12345.6'],
    ['0.000', '0'],
  ])('writes %s as %s', (input, expected) => {
    expect(canonicalNumber(input)).toBe(expected);
  });

  it.each(['', 'abc', '1e', '--1', '.', '1.2.3'])('refuses %j', (input) => {
    expect(() => canonicalNumber(input)).toThrow(CanonicalFormError);
  });

  it('gives every spelling of the same number one form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: -6, max: 6 }),
        fc.nat({ max: 5 }),
        (mantissa, exponent, zeros) => {
          const padded = `${mantissa}${'0'.repeat(zeros)}e${exponent - zeros}`;
          expect(canonicalNumber(padded)).toBe(canonicalNumber(`${mantissa}e${exponent}`));
          expect(Number(canonicalNumber(padded))).toBeCloseTo(mantissa * 10 ** exponent, 6);
        },
      ),
    );
  });
});

describe('canonicalForm', () => {
  it('orders keys by UTF-16 code unit at every level, integer-like keys included', () => {
    expect(canonicalForm({ b: { S: 'x' }, 10: { S: 'y' }, 9: { M: { 10: { N: '1' }, 9: { N: '2' } } } })).toBe(
      '{"10":{"S":"y"},"9":{"M":{"10":{"N":"1"},"9":{"N":"2"}}},"b":{"S":"x"}}',
    );
  });

  it('hashes an attribute named __proto__ like any other', () => {
    const withProto = JSON.parse('{"a":{"S":"x"},"__proto__":{"S":"evil"}}');
    expect(canonicalForm(withProto)).not.toBe(canonicalForm({ a: { S: 'x' } }));
    expect(canonicalForm(withProto)).toBe('{"__proto__":{"S":"evil"},"a":{"S":"x"}}');
  });

  it('sorts keys at every level, drops contentHash and normalises values', () => {
    const item: LedgerItem = {
      z: { M: { b: { N: '2.0' }, a: { SS: ['y', 'x', 'x'] } } },
      a: { L: [{ BOOL: true }, { NULL: true }, { B: new Uint8Array([1, 2]) }] },
      contentHash: { S: 'sha256:whatever' },
    };
    expect(canonicalForm(item)).toBe(
      '{"a":{"L":[{"BOOL":true},{"NULL":true},{"B":"AQI="}]},"z":{"M":{"a":{"SS":["x","y"]},"b":{"N":"2"}}}}',
    );
  });

  it('hashes bytes and their base64 stream form alike', () => {
    expect(contentHash({ b: { B: new Uint8Array([255, 0, 7]) } })).toBe(contentHash({ b: { B: '/wAH' } }));
  });

  it('ignores the order of set members and of attributes', () => {
    expect(contentHash({ a: { NS: ['2', '1.0'] }, b: { S: 'x' } })).toBe(
      contentHash({ b: { S: 'x' }, a: { NS: ['1', '2'] } }),
    );
  });

  it('changes the hash when any value changes', () => {
    expect(contentHash({ a: { S: 'x' } })).not.toBe(contentHash({ a: { S: 'y' } }));
    expect(contentHash({ a: { S: '1' } })).not.toBe(contentHash({ a: { N: '1' } }));
  });

  it.each([[{ a: { S: 1 } }], [{ a: { S: 'x', N: '1' } }], [{ a: { X: 'x' } }], [{ a: 'plain' }]])(
    'refuses a value that is not an attribute value: %j',
    (item) => {
      expect(() => canonicalForm(item as unknown as LedgerItem)).toThrow(CanonicalFormError);
    },
  );

  it('is the same for an item and its JSON round trip through unmarshall and marshall', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, min: -1e15, max: 1e15 }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.string(), scalar));
    const json = fc.dictionary(fc.string(), value);
    fc.assert(
      fc.property(json, (value) => {
        const item = marshall(value as Record<string, unknown>, { removeUndefinedValues: true });
        const round = marshall(unmarshall(item), { removeUndefinedValues: true });
        expect(canonicalForm(round)).toBe(canonicalForm(item));
      }),
    );
  });
});

describe('seal', () => {
  it('adds the hash of the attribute values the document client writes', () => {
    const item = { decisionId: 'd-1', entry: 'DECISION', score: 0.5, skipped: undefined, tags: ['a'] };
    const sealed = seal(item, AUDIT_TRANSLATE_CONFIG.marshallOptions);
    const stored = marshall(sealed, AUDIT_TRANSLATE_CONFIG.marshallOptions);
    expect(carriedHash(stored)).toBe(sealed.contentHash);
    expect(contentHash(stored)).toBe(sealed.contentHash);
    expect(sealed.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('replaces a hash the item already carries rather than hashing it', () => {
    const once = seal({ a: 'x' }, {});
    expect(seal(once, {}).contentHash).toBe(once.contentHash);
  });
});

describe('seal after a document client was built from the same options', () => {
  it('hashes the item attributes, not a top-level map (the client sets convertTopLevelContainer on them)', () => {
    const options = { marshallOptions: { removeUndefinedValues: true } };
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }), options);
    const sealed = seal({ a: 'x', b: { c: 1 } }, options.marshallOptions);
    expect(sealed.contentHash).toBe(contentHash({ a: { S: 'x' }, b: { M: { c: { N: '1' } } } }));
  });
});
