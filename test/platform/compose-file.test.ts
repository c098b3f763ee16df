// docker-compose.yml as the compose client reads it (offline: `config` needs no Docker engine): it parses, and
// wires the services the README describes. Debian's docker-compose is used where installed (CI installs it).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');

function composeClient(): string | undefined {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return 'docker-compose';
  } catch {
    if (process.env.REQUIRE_COMPOSE) throw new Error('REQUIRE_COMPOSE is set but docker-compose is not installed');
    return undefined;
  }
}

const client = composeClient();

describe.runIf(client)('docker-compose.yml', () => {
  it('parses, and wires PostgreSQL, MinIO, the API and a worker the way the README says', () => {
    const out = execFileSync(client!, ['-f', join(root, 'docker-compose.yml'), 'config'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, POSTGRES_PASSWORD: 'pw' },
    });
    const c = parse(out);
    expect(Object.keys(c.services).sort()).toEqual(['api', 'minio', 'minio-init', 'postgres', 'worker']);
    expect(c.services.postgres.image).toBe('postgres:16');
    const { api, worker } = c.services;
    expect(api.build.context).toBe(root);
    expect(api.environment).toMatchObject({
      ANDECHA_WORKER: '0',
      BLOB_STORE: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'andecha',
    });
    expect(api.environment.DATABASE_URL).toBe('postgres://andecha:pw@postgres:5432/andecha');
    expect(worker.command).toEqual(['npm', 'run', 'worker']);
    expect(worker.environment.DATABASE_URL).toBe(api.environment.DATABASE_URL);
    expect(worker.depends_on.api.condition).toBe('service_healthy');
    // the image's HEALTHCHECK (the API's /readyz) is off for workers; compose v1 writes `disable` as test NONE
    expect(worker.healthcheck.disable === true || worker.healthcheck.test?.[0] === 'NONE').toBe(true);
    expect(api.depends_on.postgres.condition).toBe('service_healthy');
  });
});
