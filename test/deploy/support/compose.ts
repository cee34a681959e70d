import { readRepoYaml } from './repoFiles';

/** The compose file the tests read. */
export const COMPOSE_FILE = 'docker-compose.yml';

/** The parts of a compose service the tests look at. */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number)[];
  volumes?: string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** docker-compose.yml, parsed. */
export function loadCompose(): ComposeFile {
  return readRepoYaml<ComposeFile>(COMPOSE_FILE);
}

/** A service by name; throws naming the missing service. */
export function service(compose: ComposeFile, name: string): ComposeService {
  const s = compose.services[name];
  if (!s) throw new Error(`${COMPOSE_FILE} has no service "${name}"`);
  return s;
}

/** A service's environment as name -> raw value, whether written as a map or a list. */
export function serviceEnv(s: ComposeService): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, ''])));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** depends_on as name -> condition (`service_started` for the list form). */
export function dependencies(s: ComposeService): Record<string, string> {
  const deps = s.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition ?? 'service_started']));
}

/** The command as an argument list (shell-form strings split on spaces). */
export function commandArgs(s: ComposeService): string[] {
  if (s.command === undefined) return [];
  return Array.isArray(s.command) ? s.command : s.command.split(/\s+/).filter(Boolean);
}
