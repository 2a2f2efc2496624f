import type { Nesting } from './disclosure.js';

/**
 * Which count is part of which, in every agency's counts: everyone a count
 * counts is also counted by the count it is part of. Disclosure control
 * publishes a part from its whole and their perturbed difference
 * (disclosure.ts), so a numerator that is part of its denominator never reads
 * above it. A test checks each pair on generated data; a count named nowhere
 * here is perturbed on its own.
 */
export const countNesting: Nesting = {
  // Population: level-2 e-IDs are activated e-IDs, held from the age of 14.
  residents_14_plus: 'residents',
  eid_activated: 'residents_14_plus',
  eid_level2: 'eid_activated',
  // Health: records in use are records.
  active_records_12m: 'records',
  // Civil service: the trained and the matched are in service.
  in_service_trained: 'in_service',
  in_service_pin_matched: 'in_service',
  // Agriculture: households with crop records or a matched head are farm households.
  with_crop_records: 'farm_households',
  pin_matched: 'farm_households',
};
