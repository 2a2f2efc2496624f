import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scorecardQuery } from '../../../clients/dashboard/src/queries.js';
import { documentHash, loadShippedTrustedDocuments } from '../../../gateway/trusted-documents.js';
import { dashboardManifest, dashboardManifestFile } from '../../../scripts/compose/dashboard-documents.js';

describe('the dashboard’s operations as trusted documents', () => {
  it('are what `npm run compose` writes now (run it and commit the result if this fails)', () => {
    expect(readFileSync(dashboardManifestFile, 'utf8')).toBe(dashboardManifest());
  });

  it('are loaded by the gateway, the scorecard of every indicator among them, by the hash the dashboard sends', () => {
    const shipped = loadShippedTrustedDocuments();
    const manifest = JSON.parse(dashboardManifest()) as { operations: Array<{ id: string; body: string }> };
    expect(manifest.operations.length).toBeGreaterThan(30);
    for (const operation of manifest.operations) expect(shipped.get(operation.id)).toBe(operation.body);
    const bodies = manifest.operations.map((operation) => operation.body);
    const scorecard = bodies.find((body) => body.startsWith('query DashboardScorecard'))!;
    expect(shipped.get(documentHash(scorecard))).toBe(scorecard);
    expect(scorecard).toBe(scorecardQuery([...scorecard.matchAll(/ (\w+) \{ \.\.\.Figure \}/g)].map((match) => match[1]!)));
  });
});
