export type { IndicatorDefinition as IndicatorDefinitionRow, Task as TaskRow } from './catalog.js';
