import type { Resolvers } from './generated/resolvers-types.js';
import { indicators, tasks, type IndicatorDefinition, type Task } from './catalog.js';

const indicatorsOf = (task: Task) => indicators.filter((indicator) => indicator.task === task.number);

export const resolvers: Resolvers = {
  Query: {
    tasks: () => [...tasks],
    task: (_root, { number }) => tasks.find((task) => task.number === number) ?? null,
    indicators: () => [...indicators],
    indicator: (_root, { id }) => indicators.find((indicator) => indicator.id === id) ?? null,
  },
  Task: {
    indicators: (task) => indicatorsOf(task),
    measured: (task) => indicatorsOf(task).length > 0,
  },
  IndicatorDefinition: {
    __resolveReference: (reference) => indicators.find((indicator) => indicator.id === reference.id) ?? null,
    task: (indicator: IndicatorDefinition) => tasks.find((task) => task.number === indicator.task)!,
    sources: (indicator) => [...indicator.sources],
    targets: (indicator) => [...indicator.targets],
  },
};
