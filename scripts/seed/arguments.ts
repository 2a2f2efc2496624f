import { badUserInput } from '../../platform/errors.js';
import { dayOf } from './calendar.js';
import { defaultAsOf, type DatasetOptions } from './generator.js';

const maximumCitizens = 200_000_000;

/** Checks the seed command's flags; each bad value is refused with a message naming the flag. */
export function parseSeedArguments(values: { citizens?: string; seed?: string; 'as-of'?: string }): DatasetOptions {
  if (values.citizens === undefined) throw badUserInput('--citizens is required: how many citizens to generate, e.g. --citizens 100000');
  const citizens = wholeNumber(values.citizens);
  if (citizens === undefined || citizens < 1 || citizens > maximumCitizens) {
    throw badUserInput(
      `--citizens must be a positive integer up to ${maximumCitizens.toLocaleString('en')}, got ${JSON.stringify(values.citizens)}`,
    );
  }
  const seed = values.seed === undefined ? 1 : wholeNumber(values.seed);
  if (seed === undefined || seed > 0xffff_ffff)
    throw badUserInput(`--seed must be an integer from 0 to 4294967295, got ${JSON.stringify(values.seed)}`);
  const asOf = values['as-of'] ?? defaultAsOf;
  let day: number;
  try {
    day = dayOf(asOf);
  } catch {
    throw badUserInput(`--as-of must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  }
  if (day < dayOf('2022-06-30') || day > Math.floor(Date.now() / 86_400_000)) {
    throw badUserInput(`--as-of must lie between 2022-06-30 and today, got ${asOf}`);
  }
  return { citizens, seed, asOf };
}

function wholeNumber(text: string): number | undefined {
  return /^[0-9]+$/.test(text.replaceAll('_', '')) ? Number(text.replaceAll('_', '')) : undefined;
}
