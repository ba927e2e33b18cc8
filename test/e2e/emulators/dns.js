'use strict';
// A stand-in for kube-dns inside the scenario's namespace: answers A queries from the namespace's hosts file
// (re-read per query), AAAA with no records, anything unknown with NXDOMAIN. nginx resolves its per-request
// upstreams through a DNS server, never /etc/hosts; dskit's memcached client looks its servers up by SRV
// (`_<port>._tcp.<service>`), answered from a JSON file of records. Usage: node dns.js <address> <hosts> <srv.json>
const dgram = require('dgram');
const fs = require('fs');

const [address, hostsFile, srvFile] = process.argv.slice(2);

function srv(name) {
  return JSON.parse(fs.readFileSync(srvFile, 'utf8'))[name] || [];
}

function lookup(name) {
  const ips = [];
  for (const line of fs.readFileSync(hostsFile, 'utf8').split('\n')) {
    const [ip, ...names] = line.trim().split(/\s+/);
    if (ip && names.some((n) => n.toLowerCase() === name)) ips.push(ip);
  }
  return ips;
}

const server = dgram.createSocket('udp4');
server.on('message', (msg, rinfo) => {
  try {
    let pos = 12;
    const labels = [];
    while (msg[pos] !== 0) {
      labels.push(msg.slice(pos + 1, pos + 1 + msg[pos]).toString('latin1'));
      pos += msg[pos] + 1;
    }
    const qtype = msg.readUInt16BE(pos + 1);
    const question = msg.slice(12, pos + 5);
    const name = labels.join('.').toLowerCase().replace(/\.$/, '');
    const ips = lookup(name);
    const srvs = qtype === 33 ? srv(name) : [];
    const found = ips.length || srvs.length;
    const rr = (type, data) => {
      const r = Buffer.alloc(12);
      r.writeUInt16BE(0xc00c, 0); // name: pointer to the question
      r.writeUInt16BE(type, 2);
      r.writeUInt16BE(1, 4);
      r.writeUInt32BE(5, 6); // TTL 5 s
      r.writeUInt16BE(data.length, 10);
      return Buffer.concat([r, data]);
    };
    const records = qtype === 1
      ? ips.map((ip) => rr(1, Buffer.from(ip.split('.').map(Number))))
      : srvs.map(({ target, port }) => {
        const head = Buffer.alloc(6);
        head.writeUInt16BE(0, 0);
        head.writeUInt16BE(100, 2);
        head.writeUInt16BE(port, 4);
        const labels = target.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')]));
        return rr(33, Buffer.concat([head, ...labels, Buffer.from([0])]));
      });
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180 | (found ? 0 : 3), 2); // response, RD+RA, NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    server.send(Buffer.concat([header, question, ...records]), rinfo.port, rinfo.address);
  } catch (e) {
    process.stderr.write(`dns: ${e.message}\n`);
  }
});
server.bind(53, address, () => process.stdout.write(`dns on ${address}:53\n`));
process.on('SIGTERM', () => process.exit(0));
