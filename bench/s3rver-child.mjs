// s3rver in a process of its own for the upload benchmark: the S3 server's memory and CPU are not the API's.
// argv: directory, bucket. Prints the port it listens on, then serves until killed.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  directory,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const { port } = await server.run();
console.log(port);
process.on('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
