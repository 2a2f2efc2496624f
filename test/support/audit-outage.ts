import { openGatewayDatabase } from '../../gateway/database.js';
import { createTestDatabase } from './postgres.js';
import { createTestSecurity } from './security.js';
import { startTestSystem, type TestSystem } from './system.js';
import { TcpProxy, throughProxy } from './tcp-proxy.js';

/**
 * A test system whose gateway database (audit trail, API keys) of its own is
 * reached through a TcpProxy, so a test can cut it or let it hang while the
 * shared PostgreSQL server stays up. `stop` undoes everything it made.
 */
export async function startSystemWithAuditBehindProxy(
  label: string,
): Promise<{ test: TestSystem; proxy: TcpProxy; stop(): Promise<void> }> {
  const created = await createTestDatabase(label);
  const target = new URL(created.url);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.start();
  const database = await openGatewayDatabase({ url: throughProxy(created.url, proxy), dataDir: '' });
  const security = await createTestSecurity({ database });
  const test = await startTestSystem({ security });
  return {
    test,
    proxy,
    async stop() {
      proxy.forward();
      await test.stop();
      await proxy.stop();
      await security.database.close();
      await created.drop();
    },
  };
}
