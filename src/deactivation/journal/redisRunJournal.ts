import { randomUUID } from 'node:crypto';
import { intOption, requiredOption } from '../../directory/options';
import { normalizeUserId } from '../../directory/userId';
import type { FleetRedis } from '../../fleet/fleetRedis';
import { DeactivationError } from '../types';
import { parseRecord, type JournalRecord } from './records';
import type { JournalSession, RunJournal } from './types';

const OWNER = 'RedisRunJournal';

export interface RedisRunJournalOptions {
  /** The fleet's Redis. Required. */
  readonly redis: FleetRedis;
  /** How long `open` waits for a connection still being made before answering fleet_lock_unavailable, ms. Default 2000. */
  readonly connectWaitMs?: number;
  /**
   * How long a run's lock outlives its last heartbeat, ms: a replica that died
   * mid-run frees the user after this, and another replica can resume the run.
   * The holder renews it every third of it. Default 30,000.
   */
  readonly leaseMs?: number;
}

// KEYS: lock, journal. ARGV: token, record. Appends only while we still hold the lock.
const APPEND = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`;
// KEYS: lock. ARGV: token, lease ms. Renews our lease; 0 when the lock is no longer ours.
const RENEW = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;
// KEYS: lock. ARGV: token.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The fleet's RunJournal (ENRICHER_REDIS_URL set): each user's records are a
 * Redis list, and the run lock a key with a lease the holder renews, so a
 * user's run happens once across every replica, and a run interrupted on one
 * replica resumes through any other (once its lease ran out, if it died).
 *
 * Redis must persist the journal (AOF, `appendonly yes`; `appendfsync always`
 * to make `append` as durable as the file journal's fsync): without it a Redis
 * restart forgets interrupted runs and their snapshots (docs/scaling.md).
 * When Redis cannot answer, `open` refuses with `fleet_lock_unavailable`
 * (HTTP 503) rather than run without the fleet-wide lock.
 */
export class RedisRunJournal implements RunJournal {
  readonly #redis: FleetRedis;
  readonly #leaseMs: number;
  readonly #connectWaitMs: number;

  constructor(options: RedisRunJournalOptions) {
    requiredOption(OWNER, 'options', options);
    this.#redis = requiredOption(OWNER, 'redis', options.redis);
    this.#leaseMs = intOption(OWNER, 'leaseMs', options.leaseMs, 30_000, 100);
    this.#connectWaitMs = intOption(OWNER, 'connectWaitMs', options.connectWaitMs, 2000, 0);
    this.#redis.defineScript('enricherJournalAppend', APPEND);
    this.#redis.defineScript('enricherJournalRenew', RENEW);
    this.#redis.defineScript('enricherJournalRelease', RELEASE);
  }

  async open(userId: string): Promise<JournalSession> {
    const keys = this.#keys(userId);
    const token = randomUUID();
    // Just started (the CLI, a fresh replica): a connection still being made is not an outage.
    await this.#redis.whenReady(this.#connectWaitMs);
    const locked = await this.#redis.run((r) => r.set(keys.lock, token, 'PX', this.#leaseMs, 'NX'));
    if (!locked.ok) throw unavailable();
    if (locked.value !== 'OK') throw new DeactivationError('run_in_progress', `another run for user ${userId} is in progress on a replica of this fleet`);
    const read = await this.#redis.run((r) => r.lrange(keys.journal, 0, -1));
    if (!read.ok) {
      await this.#redis.script('enricherJournalRelease', [keys.lock], [token]);
      throw unavailable();
    }
    return new RedisJournalSession(this.#redis, keys, token, parse(read.value), this.#leaseMs);
  }

  async read(userId: string): Promise<readonly JournalRecord[]> {
    const read = await this.#redis.run((r) => r.lrange(this.#keys(userId).journal, 0, -1));
    if (!read.ok) throw new DeactivationError('journal_error', "could not read the journal from the fleet's Redis");
    return parse(read.value);
  }

  #keys(userId: string): SessionKeys {
    const id = normalizeUserId(userId);
    if (id === undefined) throw new DeactivationError('invalid_user_id', 'not a Genesys user id');
    // One hash tag per user: both keys in one Redis Cluster slot.
    return { lock: this.#redis.key(`deactivation:{${id}}:lock`), journal: this.#redis.key(`deactivation:{${id}}:journal`) };
  }
}

interface SessionKeys {
  readonly lock: string;
  readonly journal: string;
}

class RedisJournalSession implements JournalSession {
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;

  constructor(
    private readonly redis: FleetRedis,
    private readonly keys: SessionKeys,
    private readonly token: string,
    readonly records: readonly JournalRecord[],
    leaseMs: number,
  ) {
    this.#heartbeat = setInterval(() => void this.redis.script('enricherJournalRenew', [keys.lock], [token, leaseMs]), Math.max(50, Math.floor(leaseMs / 3)));
    this.#heartbeat.unref();
  }

  async append(record: JournalRecord): Promise<void> {
    if (this.#closed) throw new DeactivationError('journal_error', 'the journal session is closed');
    const done = await this.redis.script<number>('enricherJournalAppend', [this.keys.lock, this.keys.journal], [this.token, JSON.stringify(record)]);
    if (!done.ok) throw new DeactivationError('journal_error', "could not write the journal to the fleet's Redis");
    if (done.value !== 1) throw new DeactivationError('journal_error', 'the run lost its fleet-wide lock (lease expired); nothing more is written');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    await this.redis.script('enricherJournalRelease', [this.keys.lock], [this.token]);
  }
}

function parse(lines: readonly string[]): JournalRecord[] {
  return lines.flatMap((line) => {
    const record = parseRecord(line);
    return record ? [record] : [];
  });
}

function unavailable(): DeactivationError {
  return new DeactivationError('fleet_lock_unavailable', "the fleet's Redis is unavailable: the run lock cannot be taken");
}
