import { changeSeqMeaning, deletionLogRelation, type SourceContract } from '../../platform/source/contract.js';

/** What the population subgraph reads from the Ministry of Public Security's database. */
export const populationSource: SourceContract = {
  agency: 'population',
  relations: [
    {
      name: 'household',
      meaning: 'Registered households, one row each.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'household number, unique' },
        {
          name: 'commune_code',
          type: 'text',
          nullable: false,
          values: 'commune-code',
          meaning: 'the commune where the household is registered',
        },
        { name: 'registered_on', type: 'date', nullable: false, values: 'past-date', meaning: 'when it entered the population database' },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    {
      name: 'citizen',
      meaning: 'Every person in the national population database, one row each.',
      columns: [
        { name: 'pin', type: 'pin', nullable: false, values: 'pin', meaning: 'personal identification number, unique' },
        { name: 'full_name', type: 'text', nullable: false, meaning: 'family, middle and given names, Unicode NFC' },
        { name: 'birth_date', type: 'date', nullable: false, values: 'past-date', meaning: 'agrees with the year in the PIN' },
        { name: 'sex', type: 'text', nullable: false, oneOf: ['MALE', 'FEMALE'], meaning: 'agrees with the PIN' },
        { name: 'residence_commune_code', type: 'text', nullable: false, values: 'commune-code', meaning: 'where the person lives now' },
        { name: 'household_id', type: 'integer', nullable: false, meaning: 'the household (household.id)' },
        { name: 'is_household_head', type: 'boolean', nullable: false, meaning: 'heads that household' },
        { name: 'registered_on', type: 'date', nullable: false, values: 'past-date', meaning: 'when the person entered the database' },
        { name: 'died_on', type: 'date', nullable: true, values: 'past-date', meaning: 'date of death; null while alive' },
        {
          name: 'vneid_level',
          type: 'integer',
          nullable: true,
          oneOf: ['1', '2'],
          meaning: 'VNeID electronic identity level; null when never activated',
        },
        {
          name: 'vneid_activated_on',
          type: 'date',
          nullable: true,
          values: 'past-date',
          meaning: 'when VNeID was activated; null exactly when the level is',
        },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    deletionLogRelation('population'),
  ],
};
