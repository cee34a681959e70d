import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The repository root: the nearest folder above this file holding package.json (works from test/ and dist/test/). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** Text of a file given relative to the repository root. */
export function readRepoFile(relativePath: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
}

/** A YAML file of the repository, parsed; YAML syntax errors throw with the file name. */
export function readRepoYaml<T>(relativePath: string): T {
  const doc = YAML.parseDocument(readRepoFile(relativePath));
  if (doc.errors.length > 0) throw new Error(`${relativePath}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS() as T;
}
