// Raw clients for a running `pst-lab serve` in the reliability tests: an /api/invoke POST that
// sends the body byte for byte, and a WebSocket whose handshake is done by hand so arbitrary
// frame bytes can follow.
import http from 'node:http';
import net from 'node:net';
import type { RunningServer } from '../../../src/main/serve/server';

export function postInvoke(
  server: RunningServer,
  body: string | Buffer,
  timeoutMs = 20_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/invoke',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error('no answer to /api/invoke')));
    req.end(body);
  });
}

/** A socket past the WebSocket handshake (`key`: 16 bytes, base64), with the server's answer head. */
export async function rawWebSocket(server: RunningServer, key: string): Promise<{ sock: net.Socket; head: string }> {
  const sock = net.connect(server.port, '127.0.0.1');
  sock.on('error', () => undefined);
  await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
  sock.write(
    `GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => sock.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
  return { sock, head };
}
