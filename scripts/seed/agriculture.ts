import { dayOf, isoDate, yearOf } from './calendar.js';
import { risingDay, takeId, type GenerationContext, type Person } from './context.js';
import { previousCommune, type Geography } from './geography.js';
import { WeightedChoice } from './random.js';

const farmingRate: Record<string, number> = { WARD: 0.05, RURAL: 0.55, SPECIAL_ZONE: 0.35 };
const databaseOpened = dayOf('2022-03-01');
const unmatchedShare = 0.005;

const perennial = new Set(['COFFEE', 'RUBBER', 'PEPPER', 'CASHEW', 'TEA', 'FRUIT']);
const crops = new WeightedChoice([
  ['RICE', 45],
  ['MAIZE', 10],
  ['VEGETABLES', 10],
  ['FRUIT', 10],
  ['COFFEE', 6],
  ['CASSAVA', 6],
  ['RUBBER', 4],
  ['PEPPER', 3],
  ['CASHEW', 3],
  ['TEA', 3],
] as const);
const riceSeasons = ['WINTER_SPRING', 'SUMMER_AUTUMN', 'MAIN'] as const;
const plotCounts = new WeightedChoice([
  [1, 40],
  [2, 30],
  [3, 20],
  [4, 10],
] as const);
const herdCounts = new WeightedChoice([
  [0, 35],
  [1, 35],
  [2, 20],
  [3, 10],
] as const);
const species = new WeightedChoice([
  ['CHICKEN', 40],
  ['PIG', 25],
  ['DUCK', 15],
  ['CATTLE', 10],
  ['BUFFALO', 5],
  ['GOAT', 5],
] as const);
const headcountRange: Record<string, readonly [number, number]> = {
  CHICKEN: [10, 300],
  DUCK: [10, 300],
  PIG: [1, 30],
  CATTLE: [1, 10],
  BUFFALO: [1, 10],
  GOAT: [2, 40],
};

/**
 * Registers some households as farm households, mostly in rural communes, with
 * the household head as the farm's head, then their crop plots and livestock.
 */
export function considerFarmHousehold(context: GenerationContext, geography: Geography, household: readonly Person[]): void {
  const { random, rows, asOf } = context;
  const head = household[0]!;
  if (head.age < 18 || !random.chance(farmingRate[head.commune.kind]!)) return;
  const lastDay = head.diedDay ?? asOf;
  if (lastDay < databaseOpened) return;
  const registered = risingDay(context, databaseOpened, lastDay);
  const commune = random.chance(0.97) ? head.commune : previousCommune(random, geography, head.commune);
  const area = Math.min(30, Math.exp(random.normal() * 0.8 - 0.5) + 0.1);
  const pin = random.chance(unmatchedShare) ? context.pins.unmatched(head.birthProvincePinCode, yearOf(head.birthDay), head.sex) : head.pin;
  const farmId = takeId(context, 'farmHousehold');
  rows.add('farmHousehold', [farmId, pin, commune.code, isoDate(registered), area.toFixed(2)]);

  const firstYear = yearOf(registered);
  const lastYear = yearOf(asOf);
  const plots = plotCounts.draw(random);
  for (let plot = 0; plot < plots; plot++) {
    const crop = crops.draw(random);
    const season = perennial.has(crop) ? 'PERENNIAL' : crop === 'RICE' ? random.pick(riceSeasons) : random.pick(riceSeasons.slice(0, 2));
    const plotArea = Math.max(0.01, (area / plots) * (0.6 + random.float() * 0.8));
    rows.add('cropPlot', [takeId(context, 'cropPlot'), farmId, crop, plotArea.toFixed(2), season, random.int(firstYear, lastYear)]);
  }
  const herds = herdCounts.draw(random);
  for (let herd = 0; herd < herds; herd++) {
    const kind = species.draw(random);
    const [fewest, most] = headcountRange[kind]!;
    rows.add('livestock', [takeId(context, 'livestock'), farmId, kind, random.int(fewest, most), random.int(firstYear, lastYear)]);
  }
}
