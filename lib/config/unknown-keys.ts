/**
 * Keys the schema does not know, with the nearest known key as a suggestion. zod's plain objects
 * drop unknown keys silently, so a misspelt `alarmEmial` would vanish and synth would succeed;
 * this walks the configuration against the JSON Schema generated from the zod schema, so every
 * key anyone adds to the schema is known here without a second list.
 */

/** The subset of JSON Schema that `z.toJSONSchema` writes for objects and arrays. */
export interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly allOf?: readonly JsonSchemaNode[];
  readonly additionalProperties?: boolean | JsonSchemaNode;
}

export interface UnknownKey {
  readonly path: readonly (string | number)[];
  readonly key: string;
  readonly suggestion?: string;
  /** The suggestion is a required key that is missing: the two are one mistake. */
  readonly suggestionMissing: boolean;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export const editDistance = (a: string, b: string): number => {
  const width = b.length + 1;
  // Row-major (a.length + 1) x (b.length + 1) table; `at` reads 0 outside it, which never happens.
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i += 1) d[i * width] = i;
  for (let j = 0; j <= b.length; j += 1) d[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
};

/** The known key nearest to `key`, when it is near enough to be a typo (a third of its length, at least 2). */
export const nearestKey = (key: string, known: readonly string[]): string | undefined => {
  const lower = key.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return best !== undefined && best.distance <= limit ? best.name : undefined;
};

/** The object variants a node allows (unions and intersections flattened). */
const objectVariants = (node: JsonSchemaNode): JsonSchemaNode[] => {
  const nested = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])].flatMap(objectVariants);
  return node.properties !== undefined ? [node, ...nested] : nested;
};

const arrayItems = (node: JsonSchemaNode): JsonSchemaNode[] => [
  ...(node.items !== undefined ? [node.items] : []),
  ...[...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap(arrayItems),
];

/**
 * Every key of `value` that no object of `schema` at that place declares.
 *
 * @example
 * unknownKeys({ alarmEmial: 'a@b.c' }, configJsonSchema())
 * // [{ path: [], key: 'alarmEmial', suggestion: 'alarmEmail', suggestionMissing: false }]
 */
export const unknownKeys = (
  value: unknown,
  schema: JsonSchemaNode,
  path: readonly (string | number)[] = [],
): UnknownKey[] => {
  if (Array.isArray(value)) {
    const [items] = arrayItems(schema);
    return items === undefined ? [] : value.flatMap((item, index) => unknownKeys(item, items, [...path, index]));
  }
  if (typeof value !== 'object' || value === null) return [];
  const variants = objectVariants(schema);
  // An object without declared properties (a free-form map) accepts any key.
  if (variants.length === 0) return [];
  const known = [...new Set(variants.flatMap((v) => Object.keys(v.properties ?? {})))];
  const required = new Set(variants.flatMap((v) => v.required ?? []));
  const record = value as Record<string, unknown>;
  const found: UnknownKey[] = [];
  for (const [key, child] of Object.entries(record)) {
    const declared = variants.find((v) => v.properties?.[key] !== undefined)?.properties?.[key];
    if (declared !== undefined) {
      found.push(...unknownKeys(child, declared, [...path, key]));
      continue;
    }
    const suggestion = nearestKey(key, known);
    found.push({
      path,
      key,
      ...(suggestion !== undefined ? { suggestion } : {}),
      suggestionMissing: suggestion !== undefined && required.has(suggestion) && !(suggestion in record),
    });
  }
  return found;
};
