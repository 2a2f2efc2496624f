import type { Sex } from '../../platform/pin.js';
import { addYears, ageOn, dayOf, isoDate, yearOf } from './calendar.js';
import { risingDay, takeId, uniformDay, type GenerationContext, type Person } from './context.js';
import type { Commune } from './geography.js';
import { drawFamilyName, drawFullName } from './names.js';
import { WeightedChoice } from './random.js';

// Household sizes with a mean of about 3.5 people, as the 2019 census found.
const householdSizes = new WeightedChoice([
  [1, 10],
  [2, 18],
  [3, 22],
  [4, 26],
  [5, 13],
  [6, 7],
  [7, 4],
] as const);

const populationDatabaseOpened = dayOf('2021-07-01');
const vneidLaunched = dayOf('2022-01-01');
const vneidAdoption: Record<Commune['kind'], number> = { WARD: 0.8, RURAL: 0.64, SPECIAL_ZONE: 0.6 };

interface Member {
  readonly age: number;
  readonly sex: Sex;
  readonly familyName: string;
}

/**
 * Generates one household of at most `limit` people in one commune: a head,
 * usually a spouse, then children (or grandchildren) and sometimes a parent of
 * the head. Writes the household and its citizens; returns the citizens.
 */
export function generateHousehold(context: GenerationContext, limit: number): Person[] {
  const { random, rows, asOf } = context;
  const commune = context.geography.communeForHousehold.draw(random);
  const size = Math.min(limit, householdSizes.draw(random));
  const members = householdMembers(context, size);
  const householdId = takeId(context, 'household');
  const people = members.map((member, index) => createCitizen(context, member, commune, index === 0));
  const registered = Math.min(...people.map((person) => Math.max(person.birthDay, populationDatabaseOpened)));
  rows.add('household', [householdId, commune.code, isoDate(Math.min(registered, asOf))]);
  for (const person of people) writeCitizen(context, person, householdId);
  return people;
}

function householdMembers(context: GenerationContext, size: number): Member[] {
  const { random } = context;
  const headAge = random.chance(0.05) ? random.int(19, 24) : random.chance(0.16) ? random.int(65, 90) : random.int(25, 64);
  const head: Member = { age: headAge, sex: random.chance(0.7) ? 'MALE' : 'FEMALE', familyName: drawFamilyName(random) };
  const members = [head];
  let father = head.sex === 'MALE' ? head : undefined;
  if (size >= 2 && random.chance(0.85)) {
    const spouse: Member = {
      age: Math.max(18, Math.round(headAge + random.normal() * 4 + (head.sex === 'MALE' ? -2 : 2))),
      sex: head.sex === 'MALE' ? 'FEMALE' : 'MALE',
      familyName: drawFamilyName(random),
    };
    members.push(spouse);
    father ??= spouse;
  }
  // Children take their father's family name.
  const childFamilyName = (father ?? head).familyName;
  while (members.length < size) {
    if (headAge < 55 && random.chance(0.15)) {
      const age = Math.min(100, headAge + random.int(20, 32));
      members.push({
        age,
        sex: random.chance(0.55) ? 'FEMALE' : 'MALE',
        familyName: random.chance(0.5) ? head.familyName : drawFamilyName(random),
      });
    } else {
      // Older heads often live with grandchildren rather than grown-up children.
      const childAge = headAge - random.int(20, 38);
      const age = childAge >= 0 && !(childAge >= 20 && random.chance(0.4)) ? childAge : random.int(0, 14);
      members.push({ age, sex: random.chance(0.52) ? 'MALE' : 'FEMALE', familyName: childFamilyName });
    }
  }
  return members;
}

function createCitizen(context: GenerationContext, member: Member, commune: Commune, isHead: boolean): Person {
  const { random, asOf, geography } = context;
  const birthDay = addYears(asOf, -member.age) - random.int(0, 364);
  // Most people were registered at birth in the province they live in now.
  const birthProvincePinCode = random.chance(0.85)
    ? commune.legacyProvinceCode.padStart(3, '0')
    : random.pick(geography.legacyProvincePinCodes);
  const age = ageOn(birthDay, asOf);
  const deathRisk = age >= 80 ? 0.12 : age >= 65 ? 0.05 : 0.004;
  const diedDay = random.chance(deathRisk) ? uniformDay(context, Math.max(birthDay, populationDatabaseOpened), asOf) : null;
  return {
    pin: context.pins.citizen(birthProvincePinCode, yearOf(birthDay), member.sex),
    birthProvincePinCode,
    fullName: drawFullName(random, member.sex, member.familyName),
    birthDay,
    sex: member.sex,
    age,
    commune,
    isHouseholdHead: isHead,
    diedDay,
  };
}

function writeCitizen(context: GenerationContext, person: Person, householdId: number): void {
  const { random, asOf } = context;
  const registered =
    person.birthDay >= populationDatabaseOpened ? person.birthDay + random.int(1, 60) : populationDatabaseOpened + random.int(0, 364);
  // VNeID: from age 14, from 2022, rising over time, likelier in cities and among the young.
  const lastDay = person.diedDay ?? asOf;
  const eligibleFrom = Math.max(vneidLaunched, addYears(person.birthDay, 14));
  const adoption = vneidAdoption[person.commune.kind] * (person.age > 75 ? 0.5 : 1);
  const activated = eligibleFrom <= lastDay && random.chance(adoption) ? risingDay(context, eligibleFrom, lastDay) : null;
  context.rows.add('citizen', [
    person.pin,
    person.fullName,
    isoDate(person.birthDay),
    person.sex,
    person.commune.code,
    householdId,
    person.isHouseholdHead,
    isoDate(Math.min(registered, lastDay)),
    person.diedDay === null ? null : isoDate(person.diedDay),
    activated === null ? null : random.chance(0.88) ? 2 : 1,
    activated === null ? null : isoDate(activated),
  ]);
}
