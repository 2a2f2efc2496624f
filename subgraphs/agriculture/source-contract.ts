import { changeSeqMeaning, deletionLogRelation, type SourceContract } from '../../platform/source/contract.js';

/** What the agriculture subgraph reads from the Ministry of Agriculture and Environment's database. */
export const agricultureSource: SourceContract = {
  agency: 'agriculture',
  relations: [
    {
      name: 'farm_household',
      meaning: 'Registered farm households, one row each.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'farm household number, unique' },
        { name: 'head_pin', type: 'pin', nullable: false, values: 'pin', meaning: "the head's PIN as this agency recorded it, unique" },
        { name: 'commune_code', type: 'text', nullable: false, values: 'commune-code', meaning: 'where the farm household is registered' },
        { name: 'registered_on', type: 'date', nullable: false, values: 'past-date', meaning: 'when it was registered' },
        { name: 'area_hectares', type: 'numeric', nullable: false, meaning: 'farmed area, hectares, not negative' },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    {
      name: 'crop_plot',
      meaning: 'Crops grown, a row per plot and season.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'plot record number, unique' },
        { name: 'farm_household_id', type: 'integer', nullable: false, meaning: 'the farm household (farm_household.id)' },
        { name: 'crop', type: 'text', nullable: false, meaning: 'what is grown' },
        { name: 'area_hectares', type: 'numeric', nullable: false, meaning: 'hectares, more than 0' },
        {
          name: 'season',
          type: 'text',
          nullable: false,
          oneOf: ['WINTER_SPRING', 'SUMMER_AUTUMN', 'MAIN', 'PERENNIAL'],
          meaning: 'the growing season',
        },
        { name: 'year', type: 'integer', nullable: false, meaning: 'the year of the season' },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    {
      name: 'livestock',
      meaning: 'Livestock kept, a row per species and year.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'record number, unique' },
        { name: 'farm_household_id', type: 'integer', nullable: false, meaning: 'the farm household (farm_household.id)' },
        {
          name: 'species',
          type: 'text',
          nullable: false,
          oneOf: ['PIG', 'BUFFALO', 'CATTLE', 'CHICKEN', 'DUCK', 'GOAT'],
          meaning: 'the species',
        },
        { name: 'headcount', type: 'integer', nullable: false, meaning: 'animals, more than 0' },
        { name: 'year', type: 'integer', nullable: false, meaning: 'the year counted' },
      ],
    },
    deletionLogRelation('agriculture'),
  ],
};
