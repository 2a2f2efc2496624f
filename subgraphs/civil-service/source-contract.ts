import { changeSeqMeaning, deletionLogRelation, type SourceContract } from '../../platform/source/contract.js';

/** What the civil-service subgraph reads from the Ministry of Home Affairs' database. */
export const civilServiceSource: SourceContract = {
  agency: 'civil-service',
  relations: [
    {
      name: 'agency',
      meaning: 'State agencies that employ civil servants.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'agency number, unique' },
        { name: 'code', type: 'text', nullable: false, meaning: 'the agency code, unique' },
        { name: 'name', type: 'text', nullable: false, meaning: 'its name' },
        {
          name: 'level',
          type: 'text',
          nullable: false,
          oneOf: ['CENTRAL', 'PROVINCE', 'COMMUNE'],
          meaning: 'the level of government it belongs to',
        },
        {
          name: 'province_code',
          type: 'text',
          nullable: true,
          values: 'province-code',
          meaning: 'its province; null for a central agency',
        },
        {
          name: 'commune_code',
          type: 'text',
          nullable: true,
          values: 'commune-code',
          meaning: 'its commune; null above the commune level',
        },
      ],
    },
    {
      name: 'rank',
      meaning: 'Civil-service ranks (ngạch).',
      columns: [
        { name: 'code', type: 'text', nullable: false, meaning: 'rank code, unique' },
        { name: 'name', type: 'text', nullable: false, meaning: 'its name' },
        { name: 'grade', type: 'integer', nullable: false, meaning: 'its grade, 1 the highest' },
      ],
    },
    {
      name: 'civil_servant',
      meaning: 'Civil servants, serving or not, one row each.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'record number, unique' },
        { name: 'pin', type: 'pin', nullable: false, values: 'pin', meaning: 'the PIN as this agency recorded it, unique' },
        { name: 'full_name', type: 'text', nullable: false, meaning: 'the name as this agency recorded it' },
        { name: 'birth_date', type: 'date', nullable: false, values: 'past-date', meaning: 'as this agency recorded it' },
        { name: 'sex', type: 'text', nullable: false, oneOf: ['MALE', 'FEMALE'], meaning: 'as this agency recorded it' },
        { name: 'agency_id', type: 'integer', nullable: false, meaning: 'the employing agency (agency.id)' },
        { name: 'rank_code', type: 'text', nullable: false, meaning: 'the rank (rank.code)' },
        { name: 'workplace_commune_code', type: 'text', nullable: false, values: 'commune-code', meaning: 'the commune of the workplace' },
        { name: 'hired_on', type: 'date', nullable: false, values: 'past-date', meaning: 'start of service' },
        { name: 'left_on', type: 'date', nullable: true, values: 'past-date', meaning: 'end of service; null while serving' },
        {
          name: 'digital_skills_trained_on',
          type: 'date',
          nullable: true,
          values: 'past-date',
          meaning: 'when trained in digital skills (task 10); null if not',
        },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    deletionLogRelation('civil_service'),
  ],
};
