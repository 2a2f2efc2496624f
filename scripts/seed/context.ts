import type { Sex } from '../../platform/pin.js';
import type { Commune, Geography } from './geography.js';
import type { PinAllocator } from './pins.js';
import type { Random } from './random.js';
import type { RowBuffer } from './tables.js';

/** What every part of the generator shares while it runs. */
export interface GenerationContext {
  readonly random: Random;
  readonly geography: Geography;
  readonly pins: PinAllocator;
  readonly rows: RowBuffer;
  /** The day the dataset describes: nothing happens after it. */
  readonly asOf: number;
  /** The next id of each table keyed by a generated number. */
  readonly nextId: Record<'household' | 'civilServant' | 'farmHousehold' | 'cropPlot' | 'livestock' | 'healthRecord' | 'encounter', number>;
}

/** A generated citizen, handed to the other agencies' generators. */
export interface Person {
  readonly pin: string;
  readonly birthProvincePinCode: string;
  readonly fullName: string;
  readonly birthDay: number;
  readonly sex: Sex;
  /** Age on the as-of day. */
  readonly age: number;
  readonly commune: Commune;
  readonly isHouseholdHead: boolean;
  readonly diedDay: number | null;
}

export function takeId(context: GenerationContext, table: keyof GenerationContext['nextId']): number {
  return context.nextId[table]++;
}

/** A day in [from, to], later days likelier: adoption that rises over time. */
export function risingDay(context: GenerationContext, from: number, to: number): number {
  return from + Math.floor(Math.sqrt(context.random.float()) * (to - from + 1));
}

export function uniformDay(context: GenerationContext, from: number, to: number): number {
  return from + Math.floor(context.random.float() * (to - from + 1));
}
