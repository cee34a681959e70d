/**
 * `npm run docs:config`: writes docs/configuration.md from src/config/fileKeys.ts,
 * src/config/settingDocs.ts and otel-config/enricher.example.yaml. With `--check`,
 * writes nothing and exits 1 when the file differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIGURATION_DOC, renderConfigurationDoc } from '../src/config/configurationDoc';

const root = path.resolve(__dirname, '../..');
const target = path.join(root, CONFIGURATION_DOC);
const text = renderConfigurationDoc(readFileSync(path.join(root, 'otel-config/enricher.example.yaml'), 'utf8'));
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // not written yet
}
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`${CONFIGURATION_DOC} is out of date: run npm run docs:config\n`);
    process.exitCode = 1;
  }
} else if (current !== text) {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
} else {
  process.stdout.write(`${CONFIGURATION_DOC} is up to date\n`);
}
