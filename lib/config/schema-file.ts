/**
 * `config/governance.schema.json`, the editor-facing JSON Schema of the configuration, generated
 * from the zod schema (`npm run schema`); a test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from './app-config';

/** Where the schema is committed, next to the example configuration that references it. */
export const SCHEMA_FILE = join(__dirname, '..', '..', 'config', 'governance.schema.json');

/** The file's text: the generated schema, two-space indented, with a final newline. */
export const schemaFileText = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

/**
 * @example
 * writeSchemaFile(); // npm run schema
 */
export const writeSchemaFile = (path = SCHEMA_FILE): string => {
  writeFileSync(path, schemaFileText());
  return path;
};
