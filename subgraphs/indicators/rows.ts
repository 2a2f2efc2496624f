export type { IndicatorDefinition as IndicatorDefinitionRow } from '../../platform/indicators/catalog.js';
export type { Task as TaskRow } from '../../platform/indicators/tasks.js';
