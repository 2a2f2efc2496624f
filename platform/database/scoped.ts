import type { Database, DatabaseSession } from './database.js';

/**
 * A logical handle on a database that another handle owns: each statement
 * runs in a transaction of its own that first sets its search_path and, for a
 * source, makes itself read-only. This is how the embedded default gives each
 * agency's subgraph a read-only view of the source schema while the store,
 * in the same single-session PGlite instance, stays writable (session
 * settings would leak from one handle to the other). Closing it closes
 * nothing: the owner does.
 */
export function scopedDatabase(owner: Database, options: { readonly searchPath: string; readonly readOnly: boolean }): Database {
  const listeners = new Set<(text: string) => void>();
  const begin = async (session: DatabaseSession) => {
    if (options.readOnly) await session.query('SET TRANSACTION READ ONLY');
    await session.query(`SET LOCAL search_path TO ${options.searchPath}`);
  };
  const notify = (text: string) => {
    for (const listener of listeners) listener(text);
  };
  const notifying = (session: DatabaseSession): DatabaseSession => ({
    query: (text, values) => {
      notify(text);
      return session.query(text, values);
    },
    copyCsv: (table, columns, csv) => {
      notify(`COPY ${table}`);
      return session.copyCsv(table, columns, csv);
    },
  });
  return {
    driver: owner.driver,
    query: (text, values) =>
      owner.transaction(async (session) => {
        await begin(session);
        notify(text);
        return session.query(text, values);
      }),
    transaction: (work) =>
      owner.transaction(async (session) => {
        await begin(session);
        return work(notifying(session));
      }),
    onStatement(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => Promise.resolve(),
  };
}
