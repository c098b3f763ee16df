// A TCP proxy in front of a server (PostgreSQL): cut() drops every connection and refuses new ones by closing
// them at once, restore() forwards again. Tests use it to take the database away without touching the server.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let down = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close: () => {
      down = true;
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A fresh, migrated PostgreSQL database on TEST_DATABASE_URL's server (cloned from the run's template); its URL and a drop(). */
export async function freshPostgresDatabase(): Promise<{ url: URL; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const base = process.env.TEST_DATABASE_URL!;
  const name = `andecha_fault_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name} template ${process.env.ANDECHA_TEST_PG_TEMPLATE}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = '/' + name;
  return {
    url,
    async drop() {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
