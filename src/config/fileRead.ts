import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigProblem } from './errors';
import { FILE_KEYS, KEY_BY_ENV, KEY_BY_PATH, SECTIONS, type FileKey } from './fileKeys';
import { substituteEnv } from './fileSubstitute';
import { suggestKey } from './fileSuggest';

/** One setting the file gives, in its variable form. */
export interface FileSetting {
  readonly key: FileKey;
  /** The value as the variable would hold it (after `${env:...}` substitution). */
  readonly value: string;
  /** 1-based line of the value in the file. */
  readonly line: number;
}

export interface FileReadResult {
  readonly settings: readonly FileSetting[];
  /** Syntax errors, unknown keys, wrong types and unresolved references, each naming the YAML key. */
  readonly problems: readonly ConfigProblem[];
  /** Variables whose YAML value had a problem (their validation would only repeat it). */
  readonly failed: ReadonlySet<string>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the YAML text of a configuration file against the table in fileKeys.ts.
 * `label` names the file in problems that belong to no key (syntax errors).
 * Empty values (`key:`, `key: ~`, or a reference that resolves to '') count as
 * unset. Values are never echoed in problems.
 */
export function readConfigFile(text: string, label: string, env: Env): FileReadResult {
  const lines = new LineCounter();
  // prettyErrors off: a pretty error quotes the offending line, which may hold a secret.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ key: label, message: `line ${lines.linePos(e.pos[0]).line}: ${e.message}` }));
    return { settings: [], problems, failed: new Set() };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { settings: [], problems: [], failed: new Set() };
  if (!isMap(doc.contents)) {
    const problems = [{ key: label, message: 'must be a YAML mapping of sections (genesys:, receivers:, exporter:, ...)' }];
    return { settings: [], problems, failed: new Set() };
  }
  const reader = new Walker(doc, lines, env);
  reader.section(doc.contents, '');
  return { settings: reader.settings, problems: reader.problems, failed: reader.failed };
}

class Walker {
  readonly settings: FileSetting[] = [];
  readonly problems: ConfigProblem[] = [];
  readonly failed = new Set<string>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly env: Env,
  ) {}

  section(map: Node, prefix: string): void {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const name = isScalar(keyNode) ? String(keyNode.value) : undefined;
      const line = this.lineOf(keyNode ?? (pair.value as Node | null));
      if (name === undefined) {
        this.problems.push({ key: prefix || '(top level)', message: `line ${line}: keys must be plain names` });
        continue;
      }
      const path = prefix ? `${prefix}.${name}` : name;
      const value = this.resolve(pair.value as Node | null);
      const key = KEY_BY_PATH.get(path);
      if (key) this.leaf(key, value, line);
      else if (SECTIONS.has(path)) this.subsection(path, value, line);
      else this.problems.push({ key: path, message: `line ${line}: unknown key${suggestion(name, prefix)}` });
    }
  }

  private subsection(path: string, value: Node | null, line: number): void {
    if (value === null || (isScalar(value) && value.value === null)) return;
    if (!isMap(value)) {
      this.problems.push({ key: path, message: `line ${line}: must be a section (a mapping of ${listOf(SECTIONS.get(path) ?? [])}), got ${describe(value)}` });
      return;
    }
    this.section(value, path);
  }

  private leaf(key: FileKey, node: Node | null, line: number): void {
    const where = `${key.path} (${key.env})`;
    const fail = (message: string) => {
      this.failed.add(key.env);
      this.problems.push({ key: where, message: `line ${line}: ${message}` });
    };
    if (node === null || (isScalar(node) && node.value === null)) return;
    let raw: string | undefined;
    if (isScalar(node)) raw = this.scalar(key, node.value, fail);
    else if (isMap(node) && key.kind === 'map') raw = this.mapValue(node, fail);
    else if (isSeq(node) && key.kind === 'list') raw = this.listValue(node, fail);
    else fail(`must be ${KIND_TEXT[key.kind]}, got ${describe(node)}`);
    if (raw !== undefined && raw.trim() !== '') this.settings.push({ key, value: raw, line });
  }

  private scalar(key: FileKey, value: unknown, fail: (m: string) => void): string | undefined {
    if (typeof value === 'string') return this.substitute(value, fail);
    if (typeof value === 'number' && (key.kind === 'integer' || key.kind === 'number')) return String(value);
    if (typeof value === 'boolean' && key.kind === 'switch') return value ? 'on' : 'off';
    const hint = typeof value === 'number' || typeof value === 'boolean' ? ' (put it in quotes to make it text)' : '';
    fail(`must be ${KIND_TEXT[key.kind]}, got a ${typeof value}${key.kind === 'string' ? hint : ''}`);
    return undefined;
  }

  // name: value pairs become name=value,... with percent-encoded values (the OTEL_* list format).
  private mapValue(node: Node, fail: (m: string) => void): string | undefined {
    if (!isMap(node)) return undefined;
    const parts: string[] = [];
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = this.resolve(pair.value as Node | null);
      if (!/^[^\s,=]+$/.test(name)) return void fail(`entry names must be single words without "," or "="`);
      if (!isScalar(value) || value.value === null || typeof value.value === 'object') return void fail(`entry "${name}" must be a single value`);
      const text = typeof value.value === 'string' ? this.substitute(value.value, fail) : String(value.value);
      if (text === undefined) return undefined;
      parts.push(`${name}=${encodeURIComponent(text)}`);
    }
    return parts.join(',');
  }

  private listValue(node: Node, fail: (m: string) => void): string | undefined {
    if (!isSeq(node)) return undefined;
    const items: string[] = [];
    for (const item of node.items) {
      const value = this.resolve(item as Node | null);
      if (!isScalar(value) || typeof value.value !== 'string') return void fail('every item must be text');
      const text = this.substitute(value.value, fail);
      if (text === undefined) return undefined;
      if (text.includes(',')) return void fail('items must not contain ","');
      items.push(text);
    }
    return items.join(',');
  }

  private substitute(text: string, fail: (m: string) => void): string | undefined {
    const result = substituteEnv(text, this.env);
    if (result.ok) return result.value;
    for (const p of result.problems) fail(p);
    return undefined;
  }

  private resolve(node: Node | null): Node | null {
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? null) : node;
  }

  private lineOf(node: Node | null | undefined): number {
    return node?.range ? this.lines.linePos(node.range[0]).line : 0;
  }
}

const KIND_TEXT: Record<FileKey['kind'], string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  switch: 'true or false',
  map: 'a mapping of names to values',
  list: 'a list of text items',
};

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return typeof node.value === 'string' ? 'text' : `a ${typeof node.value}`;
  return 'something else';
}

function listOf(names: readonly string[]): string {
  return names.map((n) => `${n}:`).join(', ');
}

// " (did you mean ...?)" or the names allowed here.
function suggestion(name: string, prefix: string): string {
  const envKey = KEY_BY_ENV.get(name);
  if (envKey) return `; the variable ${name} is written ${envKey.path} in this file`;
  const near = suggestKey(name, SECTIONS.get(prefix) ?? []);
  if (near) return `; did you mean "${prefix ? `${prefix}.` : ''}${near}"?`;
  const elsewhere = FILE_KEYS.find((k) => k.path.endsWith(`.${name}`));
  if (elsewhere) return `; did you mean "${elsewhere.path}"?`;
  return `; expected one of ${listOf(SECTIONS.get(prefix) ?? [])}`;
}
