import { changeSeqMeaning, deletionLogRelation, type SourceContract } from '../../platform/source/contract.js';

/** What the health subgraph reads from the Ministry of Health's e-health-record database. */
export const healthSource: SourceContract = {
  agency: 'health',
  relations: [
    {
      name: 'facility',
      meaning: 'Health facilities.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'facility number, unique' },
        { name: 'code', type: 'text', nullable: false, meaning: 'the facility code, unique' },
        { name: 'name', type: 'text', nullable: false, meaning: 'its name' },
        { name: 'level', type: 'text', nullable: false, oneOf: ['CENTRAL', 'PROVINCE', 'COMMUNE'], meaning: 'its level' },
        { name: 'province_code', type: 'text', nullable: false, values: 'province-code', meaning: 'its province' },
        { name: 'commune_code', type: 'text', nullable: false, values: 'commune-code', meaning: 'its commune' },
      ],
    },
    {
      name: 'health_record',
      meaning: 'Electronic health records, one per person who has one.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'record number, unique' },
        { name: 'pin', type: 'pin', nullable: false, values: 'pin', meaning: "the holder's PIN as this agency recorded it, unique" },
        { name: 'commune_code', type: 'text', nullable: false, values: 'commune-code', meaning: "the holder's commune as recorded here" },
        { name: 'created_on', type: 'date', nullable: false, values: 'past-date', meaning: 'when the record was opened' },
        { name: 'facility_id', type: 'integer', nullable: false, meaning: 'the facility that opened it (facility.id)' },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    {
      name: 'encounter',
      meaning: 'Visits recorded in a health record.',
      columns: [
        { name: 'id', type: 'integer', nullable: false, meaning: 'encounter number, unique' },
        { name: 'health_record_id', type: 'integer', nullable: false, meaning: 'the record (health_record.id)' },
        { name: 'occurred_on', type: 'date', nullable: false, values: 'past-date', meaning: 'the day of the visit' },
        { name: 'facility_id', type: 'integer', nullable: false, meaning: 'where (facility.id)' },
        { name: 'icd10_code', type: 'text', nullable: false, meaning: 'the diagnosis, an ICD-10 code such as J06.9' },
        { name: 'change_seq', type: 'integer', nullable: false, meaning: changeSeqMeaning },
      ],
    },
    deletionLogRelation('health'),
  ],
};
