import { considerFarmHousehold } from './agriculture.js';
import { dayOf } from './calendar.js';
import { civilServiceGenerator } from './civil-service.js';
import type { GenerationContext } from './context.js';
import { loadGeography } from './geography.js';
import { healthGenerator } from './health.js';
import { PinAllocator } from './pins.js';
import { generateHousehold } from './population.js';
import { Random } from './random.js';
import { RowBuffer, type TableKey } from './tables.js';

export interface DatasetOptions {
  readonly citizens: number;
  readonly seed: number;
  /** The day the data describe (YYYY-MM-DD). */
  readonly asOf: string;
}

export interface Chunk {
  readonly rows: Array<{ table: TableKey; csv: string; count: number }>;
  /** Citizens generated so far, this chunk included. */
  readonly citizens: number;
}

export const defaultAsOf = '2026-09-30';

/**
 * The whole dataset as a sequence of chunks of about `chunkSize` citizens with
 * all their linked records. Everything is drawn from one seeded generator in a
 * fixed order, so the same options give the same rows; memory stays bounded
 * however many citizens are asked for.
 */
export async function* generateDataset(options: DatasetOptions, chunkSize = 20_000): AsyncGenerator<Chunk> {
  const geography = await loadGeography(options.seed);
  const rows = new RowBuffer();
  const context: GenerationContext = {
    random: new Random(options.seed),
    geography,
    pins: new PinAllocator(),
    rows,
    asOf: dayOf(options.asOf),
    nextId: { household: 1, civilServant: 1, farmHousehold: 1, cropPlot: 1, livestock: 1, healthRecord: 1, encounter: 1 },
  };
  const civilService = civilServiceGenerator(geography);
  const health = healthGenerator(geography);
  civilService.writeReferenceData(context);
  health.writeReferenceData(context);

  let generated = 0;
  let sinceFlush = 0;
  while (generated < options.citizens) {
    const household = generateHousehold(context, options.citizens - generated);
    for (const person of household) {
      civilService.consider(context, person);
      health.consider(context, person);
    }
    considerFarmHousehold(context, geography, household);
    generated += household.length;
    sinceFlush += household.length;
    if (sinceFlush >= chunkSize || generated === options.citizens) {
      yield { rows: rows.take(), citizens: generated };
      sinceFlush = 0;
    }
  }
}
