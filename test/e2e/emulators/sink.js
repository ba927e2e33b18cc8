'use strict';
// Prometheus remote-write sink for the e2e suite: accepts snappy-compressed protobuf WriteRequests on any path,
// decodes series names, and answers GET /e2e/received with what arrived. Usage: node sink.js <address> <port>
const http = require('http');
const path = require('path');
const protobuf = require('protobufjs');
const snappy = require('snappyjs');

const [address, port] = process.argv.slice(2);
const WriteRequest = protobuf.loadSync(path.join(__dirname, '..', 'protos', 'remote-write.proto')).lookupType('prometheus.WriteRequest');
const received = { posts: 0, bytes: 0, samples: 0, errors: [], names: {} };

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/e2e/received') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return;
    }
    const body = Buffer.concat(chunks);
    received.posts++;
    received.bytes += body.length;
    try {
      const wr = WriteRequest.decode(Buffer.from(snappy.uncompress(body)));
      for (const ts of wr.timeseries) {
        const name = (ts.labels.find((l) => l.name === '__name__') || {}).value || '(unnamed)';
        received.names[name] = (received.names[name] || 0) + 1;
        received.samples += ts.samples.length;
      }
    } catch (e) {
      if (received.errors.length < 5) received.errors.push(String(e.message));
    }
    res.writeHead(204).end();
  });
}).listen(Number(port), address, () => process.stdout.write(`remote-write sink on ${address}:${port}\n`));
process.on('SIGTERM', () => process.exit(0));
