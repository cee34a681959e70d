/** What a log line or the start-up summary may say about ENRICHER_REDIS_URL: never the password. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}${u.password ? ':***' : ''}@` : u.password ? ':***@' : '';
    return `${u.protocol}//${user}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid Redis URL)';
  }
}
