import { cosine, similarity, similarityFromCosine } from '../../../local/face-engine/similarity';

describe('similarityFromCosine', () => {
  it.each([
    [-1, 0],
    [0, 0],
    [0.35, 0],
    [0.5, 40],
    [0.56, 56],
    [0.65, 80],
    [0.72, 84],
    [0.825, 90],
    [0.9, 94.286],
    [1, 100],
    [1.2, 100],
  ])('maps cosine %p to Similarity %p', (c, expected) => {
    expect(similarityFromCosine(c)).toBeCloseTo(expected, 3);
  });

  it('is monotonic, so ranking by Similarity is ranking by cosine', () => {
    const values = Array.from({ length: 201 }, (_, i) => similarityFromCosine(-1 + i / 100));

    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('cosine', () => {
  it.each([
    [[1, 0], [1, 0], 1],
    [[1, 0], [0, 1], 0],
    [[1, 2, 3], [2, 4, 6], 1],
    [[1, 0], [-1, 0], -1],
    [[0, 0], [1, 1], 0],
  ])('of %p and %p is %p', (a, b, expected) => {
    expect(cosine(a, b)).toBeCloseTo(expected, 10);
  });

  it('rejects embeddings of different lengths', () => {
    expect(() => cosine([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('similarity', () => {
  it('gives 100 for identical embeddings and 0 for orthogonal ones', () => {
    expect(similarity([0.2, 0.4, 0.1], [0.2, 0.4, 0.1])).toBe(100);
    expect(similarity([1, 0, 0], [0, 1, 0])).toBe(0);
  });
});
