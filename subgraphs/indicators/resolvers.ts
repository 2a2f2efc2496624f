import { indicators, sourcesOf } from '../../platform/indicators/catalog.js';
import { tasks, type Task } from '../../platform/indicators/tasks.js';
import type { Resolvers } from './generated/resolvers-types.js';

const indicatorsOf = (task: Task) => indicators.filter((indicator) => indicator.task === task.number);

export const resolvers: Resolvers = {
  Query: {
    tasks: () => [...tasks],
    task: (_root, { number }) => tasks.find((task) => task.number === number) ?? null,
    indicators: () => [...indicators],
    indicator: (_root, { id }) => indicators.find((indicator) => indicator.id === id) ?? null,
    // The same DISCLOSURE_MIN_COUNT every agency's subgraph applies (one setting, read by each subgraph).
    disclosureMinimumCount: (_root, _args, { settings }) => settings.disclosureMinimum,
  },
  Task: {
    indicators: (task) => indicatorsOf(task),
    measured: (task) => indicatorsOf(task).length > 0,
  },
  IndicatorDefinition: {
    __resolveReference: (reference) => indicators.find((indicator) => indicator.id === reference.id) ?? null,
    task: (indicator) => tasks.find((task) => task.number === indicator.task)!,
    numerator: (indicator) => indicator.numerator.meaning,
    denominator: (indicator) => indicator.denominator.meaning,
    sources: (indicator) => sourcesOf(indicator),
    targets: (indicator) => [...indicator.targets],
  },
};
