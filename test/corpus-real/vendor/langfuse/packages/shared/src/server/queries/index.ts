export {
  type FullObservations,
  type FullObservationsWithScores,
  type FullEventsObservation,
  type FullEventsObservations,
  type ObservationPriceFields,
} from "./createGenerationsQuery";
export {
  type Filter,
  FilterList,
  StringFilter,
  DateTimeFilter,
  StringOptionsFilter,
  CategoryOptionsFilter,
  NumberFilter,
  ArrayOptionsFilter,
  BooleanFilter,
  NumberObjectFilter,
  StringObjectFilter,
  NullFilter,
  encodeBooleanScoreEntry,
  filtersRequireEventsFull,
  type ClickhouseOperator,
} from "./clickhouse-sql/clickhouse-filter";
export {
  orderByToClickhouseSql,
  orderByToEntries,
} from "./clickhouse-sql/orderby-factory";
export { createFilterFromFilterState } from "./clickhouse-sql/factory";
export {
  clickhouseSearchCondition,
  type ClickhouseSearchConditionOptions,
} from "./clickhouse-sql/search";
export {
  FTS_EVENTS_TABLES,
  FTS_MATCH_OPERATOR,
  FTS_METADATA_FIELD,
  FTS_TEXT_FIELDS,
  FTS_TEXT_OPERATORS,
  bareFtsField,
  hasFtsSearchToken,
  isFtsAcceleratedIoOperator,
  isFtsEventsTable,
  isFtsMatchOperator,
  isFtsMetadataField,
  isFtsMetadataTarget,
  isFtsTextField,
  isFtsTextTarget,
} from "./clickhouse-sql/fts";
export { postgresSearchCondition } from "./postgres-sql/search";
export {
  convertApiProvidedFilterToClickhouseFilter,
  createPublicApiObservationsColumnMapping,
  createPublicApiTracesColumnMapping,
  deriveFilters,
  type ApiColumnMapping,
} from "./public-api-filter-builder";
export {
  CTEQueryBuilder,
  EventsAggQueryBuilder,
  EventsAggregationQueryBuilder,
  EventsSessionAggregationQueryBuilder,
  EventsQueryBuilder,
  ExperimentsAggregationQueryBuilder,
  OBSERVATION_FIELD_GROUP_FIELD_NAMES,
  buildEventsFullTableSplitQuery,
  type CTESchema,
  type CTEWithSchema,
  type QueryWithParams,
  type ExperimentsAggregationFieldSetName,
  type SessionEventsMetricsRow,
  type SplitQueryBuilder,
} from "./clickhouse-sql/event-query-builder";
export {
  buildEventsFilterOptionColumnQuery,
  buildEventsFilterOptionsForColumnsQuery,
  buildEventsMetadataValuesQuery,
  EVENTS_FILTER_OPTION_TOP_N,
  EVENTS_APPROX_TOTAL_COUNT_MARKER,
  normalizeEventFilterOptionColumn,
  type EventFilterOptionRow,
  type EventFilterOptionColumn,
  type EventFilterOptionScope,
} from "./clickhouse-sql/event-filter-options";
export {
  eventsScoresAggregation,
  eventsSessionsAggregation,
  eventsSessionScoresAggregation,
  eventsTraceMetadata,
  eventsTracesAggregation,
  eventsTracesScoresAggregation,
  promptEventsForMetrics,
  scoreBooleansAggregation,
} from "./clickhouse-sql/query-fragments";
export {
  buildEventsBlobExportStreamQuery,
  buildEventsStreamQuery,
  type EventsStreamQuery,
  type EventsStreamQueryInput,
} from "./clickhouse-sql/events-stream-query";
export {
  buildEventsObservationRowSelection,
  eventSearchCondition,
  groupEventsObservationFilters,
  toLevelAgnosticScoreFilter,
  type EventsObservationFilterGroups,
  type EventsObservationRowSelectionInput,
} from "./clickhouse-sql/events-observation-row-selection";
export { extractTimeFilter } from "./clickhouse-sql/filter-utils";
