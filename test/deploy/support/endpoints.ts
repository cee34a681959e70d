/** host:port pieces as the deployment files write them. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Splits `host:port`, `[v6]:port` or `scheme://host:port` (the scheme is dropped). */
export function parseHostPort(value: string): HostPort {
  const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/$/, '');
  const m = /^(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(withoutScheme);
  if (!m) throw new Error(`not host:port: "${value}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** One entry of a compose service's `ports:`, short syntax ("[ip:]host:container[/proto]"). */
export interface PortMapping {
  readonly hostIp?: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/** Parses a compose short-syntax port mapping; ranges and unpublished ports are rejected. */
export function parsePortMapping(entry: string | number): PortMapping {
  const [spec, protocol = 'tcp'] = String(entry).split('/');
  const parts = spec!.split(':');
  if (parts.length < 2 || parts.length > 3) throw new Error(`port mapping must publish a host port: "${entry}"`);
  const [containerPort, hostPort] = [Number(parts.at(-1)), Number(parts.at(-2))];
  if (!Number.isInteger(containerPort) || !Number.isInteger(hostPort)) throw new Error(`port range or bad port in "${entry}"`);
  if (protocol !== 'tcp' && protocol !== 'udp') throw new Error(`unknown protocol in "${entry}"`);
  return { hostIp: parts.length === 3 ? parts[0] : undefined, hostPort, containerPort, protocol };
}
