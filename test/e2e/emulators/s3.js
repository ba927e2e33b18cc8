'use strict';
// S3 for the e2e suite: s3rver (npm) with the two fixes Tempo needs, run inside the scenario's namespace.
// 1. minio-go signs uploads over plain HTTP as aws-chunked streams (`<hex>;chunk-signature=<sig>\r\n<data>\r\n...`);
//    s3rver would store that framing inside the object. A front proxy decodes such bodies before s3rver sees them.
// 2. s3rver's delimiter listing stops walking at the first delimiter below the prefix, so `tenant/` prefixes whose
//    objects all sit deeper (`tenant/<block>/meta.json`) are missed: list without the delimiter, then group.
// Usage: node s3.js <address> <port> <data-dir> <bucket> <access-key> <secret-key>
const http = require('http');
const path = require('path');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

const [address, port, dir, bucket, accessKey, secretKey] = process.argv.slice(2);
// The deployment's (dummy) credentials, as a real bucket would be set up for it.
require('s3rver/lib/models/account').DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

// What the fixes did, for the test (GET /e2e/stats).
const stats = { decoded: 0, delimiterListings: 0, prefixesListed: 0 };
const listObjects = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function (name, options) {
  const { delimiter, maxKeys = Infinity, prefix = '' } = options;
  if (!delimiter) return listObjects.call(this, name, options);
  const all = await listObjects.call(this, name, { ...options, delimiter: '', maxKeys: Infinity });
  stats.delimiterListings++;
  const objects = [];
  const commonPrefixes = new Set();
  for (const o of all.objects) {
    const idx = o.key.slice(prefix.length).indexOf(delimiter);
    if (idx !== -1) commonPrefixes.add(o.key.slice(0, prefix.length + idx + delimiter.length));
    else objects.push(o);
  }
  if (commonPrefixes.size) stats.prefixesListed++;
  return { objects: objects.slice(0, maxKeys), commonPrefixes: [...commonPrefixes].sort(), isTruncated: objects.length > maxKeys };
};

/** Decodes an aws-chunked body: `<hex size>[;ext]\r\n<data>\r\n` until a zero-size chunk (trailers ignored). */
function decodeAwsChunked(buf) {
  const out = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) throw new Error('aws-chunked: missing chunk header');
    const size = parseInt(buf.slice(pos, eol).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) throw new Error('aws-chunked: bad chunk size');
    if (size === 0) break;
    out.push(buf.slice(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

async function main() {
  const backendSocket = path.join(dir, 's3rver.sock');
  // vhostBuckets off: s3rver would take the Host name (`minio`) for a bucket; Tempo's reference uses path style.
  const s3 = new S3rver({ directory: path.join(dir, 'data'), silent: true, allowMismatchedSignatures: true, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
  await s3.configureBuckets();
  await s3.listen(backendSocket);
  const front = http.createServer((req, res) => {
    // /e2e/stats: what the fixes did (the test asserts both were exercised).
    if (req.url === '/e2e/stats') {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      const sha = String(headers['x-amz-content-sha256'] || '');
      if (sha.startsWith('STREAMING-') || /aws-chunked/.test(String(headers['content-encoding'] || ''))) {
        try {
          body = decodeAwsChunked(body);
        } catch (e) {
          res.writeHead(400).end(String(e.message));
          return;
        }
        stats.decoded++;
        headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        const enc = String(headers['content-encoding'] || '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked');
        if (enc.length) headers['content-encoding'] = enc.join(','); else delete headers['content-encoding'];
        delete headers['x-amz-decoded-content-length'];
        delete headers['x-amz-trailer'];
      }
      headers['content-length'] = String(body.length);
      delete headers['transfer-encoding'];
      const up = http.request({ socketPath: backendSocket, method: req.method, path: req.url, headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', (e) => res.writeHead(502).end(String(e.message)));
      up.end(body);
    });
  });
  front.listen(Number(port), address, () => process.stdout.write(`s3 emulator on ${address}:${port}\n`));
}
main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
