'use strict';
// Runs inside a scenario's network namespace and lets the test (outside it) reach the pods: each Unix socket
// (path-based, so visible across namespaces) is forwarded to a TCP address inside the namespace, or, in `udp`
// mode, everything written to one connection is sent as one datagram. Config: JSON array on argv[2].
const net = require('net');
const dgram = require('dgram');
const fs = require('fs');

const routes = JSON.parse(process.argv[2]);
for (const { path, host, port, mode } of routes) {
  fs.rmSync(path, { force: true });
  // allowHalfOpen: a udp-mode client ends its side, then reads the answer.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    client.on('error', () => client.destroy());
    if (mode === 'udp') {
      const chunks = [];
      client.on('data', (c) => chunks.push(c));
      client.on('end', () => {
        const socket = dgram.createSocket('udp4');
        socket.send(Buffer.concat(chunks), port, host, (err) => {
          socket.close();
          client.end(err ? `error ${err.message}` : 'sent');
        });
      });
      return;
    }
    const upstream = net.connect({ host, port });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  server.listen(path);
}
// One failed route must not take the others down.
process.on('uncaughtException', (e) => process.stderr.write(`bridge: ${e.stack}\n`));
process.stdout.write('bridge ready\n');
process.on('SIGTERM', () => process.exit(0));
