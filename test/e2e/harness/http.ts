import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { connect } from 'net';

/** An HTTP answer, body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Options of one HTTP request. */
export interface HttpOptions {
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  /** HTTPS: the CA that signed the server's certificate, the name it must carry, and an optional client certificate. */
  readonly tls?: { readonly ca: string; readonly servername: string; readonly cert?: string; readonly key?: string };
}

/** One HTTP request over a bridge socket (the test lives outside the namespace), bounded by `timeoutMs`. */
export function http(socketPath: string, method: string, path: string, opts: HttpOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = opts.tls ? httpsRequest : httpRequest;
    const tls = opts.tls && { ca: opts.tls.ca, servername: opts.tls.servername, cert: opts.tls.cert, key: opts.tls.key, agent: false as const };
    const req = request({ socketPath, method, path, headers: { host: opts.tls?.servername ?? 'localhost', ...opts.headers }, timeout: opts.timeoutMs ?? 10_000, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Sends `payload` as one UDP datagram through a bridge socket in `udp` mode. */
export function udp(socketPath: string, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    let answer = '';
    s.setTimeout(5000, () => s.destroy(new Error('udp bridge: no answer')));
    s.on('data', (d) => (answer += d.toString()));
    s.on('end', () => (answer === 'sent' ? resolve() : reject(new Error(`udp bridge: ${answer}`))));
    s.on('error', reject);
    s.end(payload);
  });
}
