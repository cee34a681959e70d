import { randomBytes, randomUUID } from 'node:crypto';
import type { SimulatorOptions } from './types';

/** SimulatorOptions with every default applied. */
export interface ResolvedSimulatorOptions {
  readonly port: number;
  readonly host: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenLifetimeSeconds: number;
  readonly rateLimitPerMinute: number;
  readonly seedDemoOrg: boolean;
  readonly inactiveRemovesRoleGrants: boolean;
}

/**
 * Applies defaults (port 0, host 127.0.0.1, generated credentials, 86400 s
 * tokens, no steady rate limit, demo org on, inactive strips own role grants) and rejects bad options with one
 * error naming every problem.
 */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  const problems: string[] = [];
  const integer = (name: keyof SimulatorOptions, min: number, max: number): void => {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
    }
  };
  const text = (name: keyof SimulatorOptions, forbidColon: boolean): void => {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'string' && value.length > 0 && !(forbidColon && value.includes(':')))) {
      problems.push(`${name} must be a non-empty string${forbidColon ? " without ':'" : ''}`);
    }
  };
  integer('port', 0, 65535);
  integer('tokenLifetimeSeconds', 1, 30 * 86400);
  integer('rateLimitPerMinute', 0, 1_000_000);
  text('host', false);
  text('clientId', true); // HTTP Basic splits id and secret at the first ':'
  if (options.clientSecret !== undefined && !(typeof options.clientSecret === 'string' && options.clientSecret.length > 0)) {
    problems.push('clientSecret must be a non-empty string');
  }
  if (options.seedDemoOrg !== undefined && typeof options.seedDemoOrg !== 'boolean') problems.push('seedDemoOrg must be a boolean');
  if (options.inactiveRemovesRoleGrants !== undefined && typeof options.inactiveRemovesRoleGrants !== 'boolean') {
    problems.push('inactiveRemovesRoleGrants must be a boolean');
  }
  if (problems.length > 0) throw new Error(`invalid simulator options: ${problems.join('; ')}`);
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    clientId: options.clientId ?? randomUUID(),
    clientSecret: options.clientSecret ?? randomBytes(24).toString('base64url'),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 86400,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    seedDemoOrg: options.seedDemoOrg ?? true,
    inactiveRemovesRoleGrants: options.inactiveRemovesRoleGrants ?? true,
  };
}
