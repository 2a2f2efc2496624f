import { createHash } from 'node:crypto';
import {
  catalogueQuery,
  communesQuery,
  parentQuery,
  provincesQuery,
  scorecardQuery,
  trendQuery,
} from '../../clients/dashboard/src/queries.js';
import { indicators } from '../../platform/indicators/catalog.js';
import { tasks } from '../../platform/indicators/tasks.js';

/** Where the dashboard's operations are kept as trusted documents, beside the typed client's. */
export const dashboardManifestFile = new URL('../../schema/trusted-documents/dashboard.json', import.meta.url);

/**
 * Every operation the dashboard (clients/dashboard) can send, with the text it
 * sends: its queries are written from the catalogue the API serves, in the
 * API's order (task by task, then the catalogue's), so they are made here the
 * same way. An Apollo persisted query list, which the gateway loads as
 * trusted documents.
 */
export function dashboardManifest(): string {
  const ids = tasks.flatMap((task) => indicators.filter((indicator) => indicator.task === task.number)).map((indicator) => indicator.id);
  const documents: Array<[string, string]> = [
    ['DashboardCatalogue', catalogueQuery],
    ['DashboardScorecard', scorecardQuery(ids)],
    ['DashboardParent', parentQuery],
    ...ids.flatMap(
      (id): Array<[string, string]> => [
        ['DashboardProvinces', provincesQuery(id)],
        ['DashboardCommunes', communesQuery(id)],
        ['DashboardTrend', trendQuery(id)],
      ],
    ),
  ];
  const operations = documents.map(([name, body]) => ({
    id: createHash('sha256').update(body).digest('hex'),
    name,
    type: 'query',
    body,
  }));
  return `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2)}\n`;
}
