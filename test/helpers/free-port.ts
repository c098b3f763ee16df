// A TCP port free on 127.0.0.1 right now, for a server started as its own process. ANDECHA_TEST_PORTS=47800-47899
// keeps every port within that range (a shared machine hands each run its own).
import net from 'node:net';

const listenOn = (port: number) =>
  new Promise<number | undefined>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => {
      const got = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(got));
    });
  });

export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.ANDECHA_TEST_PORTS ?? '');
  if (!range) return (await listenOn(0))!;
  const [low, high] = [Number(range[1]), Number(range[2])];
  const start = low + Math.floor(Math.random() * (high - low + 1));
  for (let i = 0; i <= high - low; i++) {
    const got = await listenOn(low + ((start - low + i) % (high - low + 1)));
    if (got) return got;
  }
  throw new Error(`no free port in ${low}-${high}`);
}
