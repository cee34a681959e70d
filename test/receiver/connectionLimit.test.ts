import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ConnectionLimit } from '../../src/receiver/connectionLimit';
import { createLogger, silentLogger } from '../../src/telemetry/logger';

function capture() {
  const lines: Array<{ msg: string; refusedConnections?: number }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'warn', destination }) };
}

async function serve(limit: ConnectionLimit): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.on('error', () => undefined));
  limit.apply(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

const closed = (socket: net.Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()).resume());

describe('ConnectionLimit', () => {
  it('closes connections over the cap on arrival, counts them, and warns at most once per interval with the number refused since', async () => {
    const { lines, logger } = capture();
    const limit = new ConnectionLimit({ maxConnections: 2, idleTimeoutMs: 0, logger, logIntervalMs: 300 });
    const server = await serve(limit);
    const held = [await connect(server.port), await connect(server.port)];
    try {
      for (let i = 0; i < 3; i++) await closed(await connect(server.port));
      assert.equal(lines.length, 1);
      assert.equal(lines[0].refusedConnections, 1);
      await new Promise((r) => setTimeout(r, 350));
      await closed(await connect(server.port));
      assert.equal(lines.length, 2);
      assert.equal(lines[1].refusedConnections, 3, 'the two held back, and this one');
      assert.deepEqual(limit.stats(), { open: 2, refused: 4, idleClosed: 0 });
    } finally {
      for (const s of held) s.destroy();
      await server.close();
    }
  });

  it('closes a connection without traffic after the idle timeout', async () => {
    const limit = new ConnectionLimit({ maxConnections: 0, idleTimeoutMs: 200, logger: silentLogger() });
    const server = await serve(limit);
    try {
      const socket = await connect(server.port);
      const started = performance.now();
      await closed(socket);
      assert.ok(performance.now() - started >= 150);
      await new Promise((r) => setTimeout(r, 20)); // the server's side of the close
      assert.equal(limit.stats().idleClosed, 1);
      assert.equal(limit.stats().open, 0);
    } finally {
      await server.close();
    }
  });

  it('rejects bad options, naming each', () => {
    assert.throws(() => new ConnectionLimit({ maxConnections: -1, idleTimeoutMs: -1, logger: silentLogger() }), /maxConnections.*idleTimeoutMs/);
  });
});
