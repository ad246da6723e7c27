import { decodeEventKey, orgSegmentOrUnknown, parseIntakeKey, restOfKey } from '../../../lambda/recognition/key';
import { encodeEventKey } from '../../helpers/events';

describe('decodeEventKey', () => {
  it.each([
    ['incoming/a/detect/red+flower.jpg', 'incoming/a/detect/red flower.jpg'],
    ['incoming/a/detect/caf%C3%A9.jpg', 'incoming/a/detect/café.jpg'],
    ['incoming/a/detect/a%2Bb.jpg', 'incoming/a/detect/a+b.jpg'],
    ['incoming/a/detect/%E6%97%A5%E6%9C%AC.png', 'incoming/a/detect/日本.png'],
    ['incoming/a/detect/100%25.jpg', 'incoming/a/detect/100%.jpg'],
  ])('decodes %s to %s', (raw, decoded) => {
    expect(decodeEventKey(raw)).toBe(decoded);
  });

  it('returns undefined for broken percent-encoding', () => {
    expect(decodeEventKey('incoming/a/detect/%E0%A4%A.jpg')).toBeUndefined();
  });

  it.each(['red flower.jpg', 'café au lait.jpg', 'a+b (1).png', '日本.png'])(
    'round-trips %s through the S3 event encoding',
    (name) => {
      const key = `incoming/thorn-like/detect/${name}`;
      expect(decodeEventKey(encodeEventKey(key))).toBe(key);
    },
  );
});

describe('parseIntakeKey', () => {
  it('reads organisation, operation, name and the rest of the key', () => {
    expect(parseIntakeKey('incoming/thorn-like/search/2027/01/child.jpg')).toEqual({
      orgId: 'thorn-like',
      operation: 'search',
      rest: 'search/2027/01/child.jpg',
      name: '2027/01/child.jpg',
    });
  });

  it.each([
    'incoming/thorn-like/child.jpg',
    'incoming/thorn-like/compare/child.jpg',
    'incoming/thorn-like/toString/child.jpg',
    'incoming/Thorn/detect/child.jpg',
    'incoming//detect/child.jpg',
    'incoming/thorn-like/detect/',
    'incoming/thorn-like/detect/a//b.jpg',
    'incoming/thorn-like/detect/../../x.jpg',
    'uploads/thorn-like/detect/child.jpg',
  ])('rejects %s', (key) => {
    expect(parseIntakeKey(key)).toBeUndefined();
  });
});

describe('orgSegmentOrUnknown and restOfKey', () => {
  it.each([
    ['incoming/thorn-like/compare/x.jpg', 'thorn-like', 'compare/x.jpg'],
    ['incoming/Thorn/detect/x.jpg', '_unknown', 'Thorn/detect/x.jpg'],
    ['incoming/x.jpg', '_unknown', 'x.jpg'],
    ['incoming/thorn-like/detect/x.jpg', 'thorn-like', 'detect/x.jpg'],
  ])('files %s under %s as %s', (key, org, rest) => {
    expect(orgSegmentOrUnknown(key)).toBe(org);
    expect(restOfKey(key)).toBe(rest);
  });
});
