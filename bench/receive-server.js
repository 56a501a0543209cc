// A loopback WebSocket server for the receive benchmark: after the client's first text frame it
// streams `frames` server frames (90% MESSAGE with attributes, 10% EVENT; every Id unique, as
// the service's are) as raw unmasked WebSocket frames written in large chunks, so the server is
// never what limits the client. The same stream for every client.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CHUNK_FRAMES = 2000;

/** The i-th frame's Id: 12 letters and digits. */
function frameId(i) {
  let id = '';
  let n = i;
  for (let k = 0; k < 12; k++) {
    id = ALPHABET[n % 62] + id;
    n = Math.floor(n / 62);
  }
  return id;
}

/** The i-th frame of the stream (text). */
export function streamFrame(i) {
  const id = frameId(i);
  const second = String(i % 60).padStart(2, '0');
  if (i % 10 === 9) {
    return `{"Type":"EVENT","Id":"${id}","RequestId":"","EventName":"app:reaction","Attributes":{"emoji":"👍","target":"${frameId(i - 1)}"},"SendTime":"2025-01-15T12:30:${second}.123456789Z"}`;
  }
  const user = `user-${i % 97}`;
  return `{"Type":"MESSAGE","Id":"${id}","RequestId":"${i % 5 === 0 ? `d3b07384-d9a7-4f0e-9d55-${String(i).padStart(12, '0')}` : ''}","Attributes":{"lang":"en"},"Content":"${
    i % 7 === 0 ? `Grüße aus Köln, Nachricht ${i} 🎉` : `hello everyone, this is message number ${i} of the benchmark stream`}","SendTime":"2025-01-15T12:30:${second}.123456789Z","Sender":{"UserId":"${user}","Attributes":{"displayName":"User ${i % 97}","color":"#ff0000"}}}`;
}

/** One unmasked text frame (server to client). */
function encodeFrame(text) {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  let header;
  if (length < 126) {
    header = Buffer.from([0x81, length]);
  } else if (length < 65536) {
    header = Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return [header, payload];
}

/**
 * Starts the server on 127.0.0.1.
 * @param {{ frames: number }} options
 * @returns {Promise<{ url: string, close: () => Promise<void>, sent: () => number }>}
 */
export async function startReceiveServer({ frames }) {
  let sent = 0;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = createServer((request, response) => {
    response.writeHead(426).end();
  });
  server.on('upgrade', (request, socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const key = request.headers['sec-websocket-key'];
    const protocol = String(request.headers['sec-websocket-protocol'] ?? '').split(',')[0].trim();
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${
      protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : ''}\r\n`);
    let started = false;
    socket.on('data', (data) => {
      // Any frame from the client starts the stream (its content does not matter); a close
      // frame (opcode 8) ends the connection.
      if ((data[0] & 0x0f) === 8) {
        socket.end();
        return;
      }
      if (started) return;
      started = true;
      let next = 0;
      const pump = () => {
        while (next < frames) {
          const parts = [];
          const end = Math.min(frames, next + CHUNK_FRAMES);
          for (; next < end; next++) parts.push(...encodeFrame(streamFrame(next)));
          sent = next;
          if (!socket.write(Buffer.concat(parts))) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `ws://127.0.0.1:${address.port}`,
    sent: () => sent,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
