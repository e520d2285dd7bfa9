// TLS for the connection tests: a throwaway CA with a server and a client certificate (made by openssl), and a
// TLS-terminating proxy in front of the plain dev server, which cannot serve TLS itself. The proxy plays a
// Temporal cluster's frontend: it checks the client certificate when mTLS is on and passes gRPC through.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

export interface Certificates {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** `serverName` goes in the server certificate's SAN; clients must ask for it (TEMPORAL_TLS_SERVER_NAME). */
export function makeCertificates(dir: string, serverName: string): Certificates {
  fs.mkdirSync(dir, { recursive: true });
  const p = (f: string) => path.join(dir, f);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=avrr test CA');
  const leaf = (name: string, cn: string, ext: string) => {
    fs.writeFileSync(p(`${name}.ext`), ext);
    ossl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${cn}`);
    ossl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.pem`), '-days', '1', '-extfile', p(`${name}.ext`));
  };
  leaf('server', serverName, `subjectAltName=DNS:${serverName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  leaf('client', 'avrr-worker', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n');
  return { dir, ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}

export interface TlsProxy {
  address: string;
  /** TLS handshakes refused (no or untrusted client certificate). */
  refused: number;
  close(): Promise<void>;
}

export async function startTlsProxy(opts: { certs: Certificates; upstreamPort: number; mtls: boolean }): Promise<TlsProxy> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      key: fs.readFileSync(opts.certs.serverKey),
      cert: fs.readFileSync(opts.certs.serverCert),
      ca: fs.readFileSync(opts.certs.ca),
      requestCert: opts.mtls,
      rejectUnauthorized: opts.mtls,
      ALPNProtocols: ['h2'],
    },
    (client) => {
      const upstream = net.connect(opts.upstreamPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      }
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    },
  );
  const proxy: TlsProxy = {
    address: '',
    refused: 0,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
  server.on('tlsClientError', () => proxy.refused++);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  proxy.address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
