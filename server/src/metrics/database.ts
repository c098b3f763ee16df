// The PostgreSQL connection pool: connections in use and queries waiting for one, read at each scrape.
import { Gauge, type Registry } from 'prom-client';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * Registers the pool gauges when there is a pool (PostgreSQL). Embedded PGlite has one in-process connection and
 * no pool, so there is nothing to report: the gauges are left out rather than shown as a misleading 0.
 */
export function watchDatabasePool(registry: Registry, poolStats: (() => PoolStats) | undefined): void {
  if (!poolStats) return;
  new Gauge({
    name: 'andecha_db_pool_in_use_connections',
    help: 'PostgreSQL pool connections checked out by a query or transaction',
    registers: [registry],
    collect() {
      const s = poolStats();
      this.set(s.total - s.idle);
    },
  });
  new Gauge({
    name: 'andecha_db_pool_waiting_requests',
    help: 'Queries waiting for a free PostgreSQL pool connection',
    registers: [registry],
    collect() {
      this.set(poolStats().waiting);
    },
  });
}
