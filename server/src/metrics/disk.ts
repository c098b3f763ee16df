// Free and total space of the data folder's file system (embedded database, fs blob store), read at each scrape.
import { statfs } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';

export function watchDataDisk(registry: Registry, dataDir: string): void {
  const read = () => statfs(dataDir).catch(() => undefined);
  new Gauge({
    name: 'andecha_data_disk_free_bytes',
    help: 'Bytes free to this process on the file system of the data folder (ANDECHA_DATA_DIR)',
    registers: [registry],
    async collect() {
      const s = await read();
      this.set(s ? s.bavail * s.bsize : NaN);
    },
  });
  new Gauge({
    name: 'andecha_data_disk_size_bytes',
    help: 'Size of the file system of the data folder (ANDECHA_DATA_DIR)',
    registers: [registry],
    async collect() {
      const s = await read();
      this.set(s ? s.blocks * s.bsize : NaN);
    },
  });
}
