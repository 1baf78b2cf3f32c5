import { prisma } from "../../db";
import type { ClickHouseClientConfigOptions } from "@clickhouse/client";
import type {
  EventsObservation,
  MetadataDomain,
  ObservationType,
} from "../../domain";
import { env } from "../../env";
import {
  EvalExecutionMetadataKey,
  type EvalExecutionMetadataKey as EvalExecutionMetadataKeyType,
} from "../../features/evals/evalExecutionMetadata";
import {
  InternalServerError,
  InvalidRequestError,
  LangfuseNotFoundError,
} from "../../errors";
import {
  convertDateToClickhouseDateTime,
  PreferredClickhouseService,
} from "../clickhouse/client";
import { recordDistribution } from "../instrumentation";
import { logger } from "../logger";
import {
  convertClickhouseToDomain,
  convertClickhouseTracesListToDomain,
} from "./traces_converters";
import {
  getLastTraceTimestampsByProjectsFromTracesTable,
  getTraceByIdFromTracesTable,
  getTracesIdentifierForSessionFromTracesTable,
  hasAnyTrace,
  persistProjectHasTracesFlag,
  readProjectHasTracesFlag,
} from "./traces";
import {
  type Filter,
  FilterList,
  type FullEventsObservation,
  FullEventsObservations,
  buildEventsObservationRowSelection,
  extractTimeFilter,
  orderByToClickhouseSql,
  orderByToEntries,
  createPublicApiObservationsColumnMapping,
  createPublicApiTracesColumnMapping,
  deriveFilters,
  filtersRequireEventsFull,
  isFtsAcceleratedIoOperator,
  isFtsEventsTable,
  isFtsTextField,
  type ApiColumnMapping,
  ObservationPriceFields,
} from "../queries";
import { createFilterFromFilterState } from "../queries/clickhouse-sql/factory";
import {
  planScoreFilterPushdown,
  resolveScoreDataRequirement,
} from "../queries/clickhouse-sql/score-filter-pushdown";
import type { EventsTableFilterState, FilterState } from "../../types";
import type { TracingSearchType } from "../../interfaces/search";
import {
  eventsSessionsAggregation,
  eventsTraceMetadata,
  eventsTracesAggregation,
  eventsTracesScoresAggregation,
  promptEventsForMetrics,
} from "../queries/clickhouse-sql/query-fragments";
import {
  eventsTableNativeUiColumnDefinitions,
  eventsTableUiColumnDefinitions,
} from "../tableMappings/mapEventsTable";
import { tracesTableUiColumnDefinitions } from "../tableMappings/mapTracesTable";
import {
  applyInputOutputRendering,
  DEFAULT_RENDERING_PROPS,
  RenderingProps,
} from "../utils/rendering";
import {
  OBSERVATION_FIELD_GROUPS_PUBLIC_API,
  OBSERVATION_FIELD_GROUPS_FULL,
  type ObservationFieldGroupPublicApi,
  type ObservationFieldGroupFull,
} from "../../domain/observation-field-groups";
import {
  commandClickhouse,
  parseClickhouseUTCDateTimeFormat,
  queryClickhouse,
  queryClickhouseStream,
  queryClickhouseStreamRawText,
  queryClickhouseExecRaw,
  BLOB_EXPORT_PARQUET_CLICKHOUSE_SETTINGS,
} from "./clickhouse";
import {
  EventsObservationRecordReadType,
  TraceRecordReadType,
} from "./definitions";
import {
  INTERNAL_INGESTION_SDK_NAMES,
  UNKNOWN_INGESTION_SDK_VALUE,
} from "../ingestion/ingestionAttribution";
import type { AnalyticsObservationEvent } from "../analytics-integrations/types";
import {
  getObservationByIdFromObservationsTable,
  ObservationTableQuery,
} from "./observations";
import { convertEventsObservation } from "./observations_converters";
import {
  EventsQueryBuilder,
  CTEQueryBuilder,
  EventsAggQueryBuilder,
  buildEventsFullTableSplitQuery,
  type QueryWithParams,
  type SessionEventsMetricsRow,
  OrderByEntry,
} from "../queries/clickhouse-sql/event-query-builder";
import {
  buildEventsFilterOptionColumnQuery,
  buildEventsFilterOptionsForColumnsQuery,
  buildEventsMetadataValuesQuery,
  EVENTS_FILTER_OPTION_SAMPLE_ROWS,
  EVENTS_FILTER_OPTION_TOP_N,
  type EventFilterOptionRow,
  type EventFilterOptionColumn,
  type EventFilterOptionScope,
} from "../queries/clickhouse-sql/event-filter-options";
import { type EventsObservationPublic } from "../queries/createGenerationsQuery";
import {
  eventsTableCols,
  normalizeEventsTraceName,
  type NumericEventsTableColumnId,
} from "../../eventsTable";
import type { TraceDeleteBatchActionCursor } from "../../features/batchAction/types";
import {
  findUiColumnMapping,
  type UiColumnMappings,
} from "../../tableDefinitions";
import { tracesTableCols } from "../../tableDefinitions/tracesTable";
import { parseMetadataCHRecordToDomain } from "../utils/metadata_conversion";

export type EventBatchIOStringOutput = {
  id: string;
  input: string | null;
  output: string | null;
  metadata: MetadataDomain;
};

/** Raw ClickHouse storage shape: name-less JSON strings, names in the parallel toolCallNames array. */
export type EventBatchIOToolCallFields = {
  toolCalls: string[];
  toolCallNames: string[];
};

export type EventBatchIOWithExperimentOutput = EventBatchIOStringOutput & {
  experimentItemExpectedOutput: string | null;
  experimentItemMetadata: MetadataDomain;
};

export type EventBatchIOResult<
  TIncludeExperiment extends boolean,
  TIncludeToolCalls extends boolean,
> = (TIncludeExperiment extends true
  ? EventBatchIOWithExperimentOutput
  : EventBatchIOStringOutput) &
  (TIncludeToolCalls extends true ? EventBatchIOToolCallFields : object);

const BATCH_IO_STRING_RENDERING_PROPS: RenderingProps = {
  // Batch I/O truncation is handled in SQL via leftUTF8 for performance.
  truncated: false,
  shouldJsonParse: false,
};

const applyBatchIOStringRendering = (
  io: string | null | undefined,
): string | null => {
  return applyInputOutputRendering(io, BATCH_IO_STRING_RENDERING_PROPS) as
    | string
    | null;
};

type EventsObservationQueryResult = EventsObservationRecordReadType & {
  latency?: string;
  time_to_first_token?: string;
};

/**
 * Extra row fields present when the query ran with an `ioSizeCap`
 * (EventsQueryBuilder.selectIOWithSizeCap). ClickHouse returns UInt64 as
 * string and the exists-flag as 0/1.
 */
type IOSizeCapRowFields = {
  input_length: string;
  output_length: string;
  metadata_truncated: 0 | 1;
  metadata_length: string;
};

/**
 * Caller-facing truncation summary attached to observations fetched with an
 * `ioSizeCap`: true field lengths (UTF-8 code points) plus flags telling a
 * preview head apart from full content.
 */
export type ObservationIOSizeFields = {
  inputLength: number;
  outputLength: number;
  inputTruncated: boolean;
  outputTruncated: boolean;
  metadataTruncated: boolean;
  /** Shipped (capped) metadata weight in chars — for response budgeting. */
  metadataLength: number;
};

/**
 * Internal helper: enrich observations with model pricing data
 * Uses events-specific converter to include userId and sessionId
 * Supports both V1 (complete observations) and V2 (partial observations with field groups)
 *
 * CONTRACT: a 1:1 order-preserving map over observationRecords — never
 * filter, deduplicate, or reorder here. The ioSizeCap path in
 * getObservationsWithModelDataFromEventsTable zips row-extra columns back on
 * by index and asserts the row count.
 *
 * @param observationRecords - Raw observation records from ClickHouse
 * @param projectId - Project ID for model lookup
 * @param parseIoAsJson - Whether to parse input/output as JSON
 * @param requestedFields - Field groups for V2 API (null = V1 API, returns complete observations)
 */
async function enrichObservationsWithModelData(
  observationRecords: Array<EventsObservationQueryResult>,
  projectId: string,
  parseIoAsJson: boolean,
  requestedFields: ObservationFieldGroupPublicApi[],
): Promise<Array<EventsObservationPublic>>;
async function enrichObservationsWithModelData(
  observationRecords: Array<EventsObservationQueryResult>,
  projectId: string,
  parseIoAsJson: boolean,
  requestedFields: null,
): Promise<Array<EventsObservation & ObservationPriceFields>>;
async function enrichObservationsWithModelData(
  observationRecords: Array<EventsObservationQueryResult>,
  projectId: string,
  parseIoAsJson: boolean,
  requestedFields: ObservationFieldGroupPublicApi[] | null,
): Promise<
  Array<(EventsObservation & ObservationPriceFields) | EventsObservationPublic>
> {
  // Determine if this is V1 (complete) or V2 (partial) API
  const isV2 = Array.isArray(requestedFields);

  // Determine if model enrichment is needed
  // V1 API: always enrich
  // V2 API: only enrich if "model" field group is requested
  const shouldEnrichModel = !isV2 || requestedFields.includes("model");

  // Fetch model data if needed
  const models = shouldEnrichModel
    ? await (async () => {
        const uniqueModels: string[] = Array.from(
          new Set(
            observationRecords
              .map((r) => r.internal_model_id)
              .filter((r): r is string => Boolean(r)),
          ),
        );

        return uniqueModels.length > 0
          ? await prisma.model.findMany({
              where: {
                id: {
                  in: uniqueModels,
                },
                OR: [{ projectId: projectId }, { projectId: null }],
              },
              include: {
                Price: {
                  where: { pricingTier: { isDefault: true } },
                },
              },
            })
          : [];
      })()
    : [];

  return observationRecords.map((o) => {
    const model = shouldEnrichModel
      ? models.find((m) => m.id === o.internal_model_id)
      : null;

    const renderingProps = {
      shouldJsonParse: parseIoAsJson,
      truncated: false,
    };

    // Branch based on API version to use correct overload
    const converted = isV2
      ? convertEventsObservation(o, renderingProps, false)
      : convertEventsObservation(o, renderingProps, true);

    const enriched = {
      ...converted,
      // Use ClickHouse-calculated latency/timeToFirstToken if available, otherwise use what converter calculated
      latency:
        o.latency !== undefined
          ? o.latency
            ? Number(o.latency) / 1000
            : null
          : (converted.latency ?? null),
      timeToFirstToken:
        o.time_to_first_token !== undefined
          ? o.time_to_first_token
            ? Number(o.time_to_first_token) / 1000
            : null
          : (converted.timeToFirstToken ?? null),
      // Add model pricing fields (null if not fetched)
      modelId: model?.id ?? null,
      inputPrice:
        model?.Price?.find((m) => m.usageType === "input")?.price ?? null,
      outputPrice:
        model?.Price?.find((m) => m.usageType === "output")?.price ?? null,
      totalPrice:
        model?.Price?.find((m) => m.usageType === "total")?.price ?? null,
    };

    return enriched;
  });
}

/**
 * CONTRACT: a 1:1 order-preserving map — never filter, deduplicate, or
 * reorder here. The ioSizeCap path in
 * getObservationsWithModelDataFromEventsTable zips row-extra columns back on
 * by index and asserts the row count.
 */
async function enrichObservationsWithTraceFields(
  observationRecords: Array<EventsObservation & ObservationPriceFields>,
): Promise<FullEventsObservations> {
  return observationRecords.map((observation) => {
    // Remove raw tags field as this is re-mapped to traceTags
    const { tags: _tags, ...observationWithoutRawTags } = observation;
    return {
      ...observationWithoutRawTags,
      traceTags: observation.tags ?? [],
      traceTimestamp: null,
      toolDefinitions: observation.toolDefinitions ?? null,
      toolCalls: observation.toolCalls ?? null,
      // Compute counts from actual data for events table
      toolDefinitionsCount: observation.toolDefinitions
        ? Object.keys(observation.toolDefinitions).length
        : null,
      toolCallsCount: observation.toolCalls
        ? observation.toolCalls.length
        : null,
    };
  });
}

/**
 * Column mapping for public API filters on events table (observations)
 */
const PUBLIC_API_EVENTS_COLUMN_MAPPING: ApiColumnMapping[] =
  createPublicApiObservationsColumnMapping(
    "events_proto",
    "e",
    "parent_span_id",
  );

/**
 * Column mappings for traces aggregated from events table
 */
const PUBLIC_API_TRACES_COLUMN_MAPPING = createPublicApiTracesColumnMapping(
  "traces",
  "t",
);

// For events-based traces, observation fields are aggregated into the traces CTE (with 't' prefix),
// not joined from a separate observations table (with 'o' prefix). We need to remap these.
const TRACES_FROM_EVENTS_UI_COLUMN_DEFINITIONS =
  tracesTableUiColumnDefinitions.map((col) => {
    // If this column references the observations table with 'o' prefix,
    // remap it to use 't' prefix since observations are aggregated into traces CTE
    if (col.clickhouseTableName === "observations") {
      // Replace o. prefix with t. in clickhouseSelect (only when followed by identifier)
      // Technically we do not need to deal with the prefix at all,
      // since here these columns are always used inside a CTE.
      const updatedSelect = col.clickhouseSelect.replace(
        /\bo\.([a-z_])/g,
        "t.$1",
      );

      return {
        ...col,
        clickhouseTableName: "traces", // Now it's in the traces CTE
        queryPrefix: undefined,
        clickhouseSelect: updatedSelect,
      };
    }
    return col;
  });

/**
 * Order by columns for traces CTE (post-aggregation)
 */
const allowedOrderByIds = [
  "timestamp",
  "name",
  "userId",
  "sessionId",
  "environment",
  "version",
  "release",
];
const TRACES_ORDER_BY_COLUMNS = TRACES_FROM_EVENTS_UI_COLUMN_DEFINITIONS.filter(
  (col) => allowedOrderByIds.includes(col.uiTableId),
).map((col) => ({
  ...col,
  // Adjust column names that change after aggregation (start_time -> timestamp)
  clickhouseSelect:
    col.uiTableId === "timestamp" ? "timestamp" : col.clickhouseSelect,
  queryPrefix: "t", // Use 't' prefix because we're selecting from traces CTE
}));

// TODO: introduce pagination
export const MAX_OBSERVATIONS_PER_TRACE =
  env.LANGFUSE_MAX_OBSERVATIONS_PER_TRACE;

export const getObservationsForTraceFromEventsTable = async (params: {
  projectId: string;
  traceId: string;
  timestamp?: Date;
  selectIOAndMetadata?: boolean;
  selectToolData?: boolean;
}): Promise<{ observations: FullEventsObservations; totalCount: number }> => {
  const {
    projectId,
    traceId,
    timestamp,
    selectIOAndMetadata = false,
    selectToolData = false,
  } = params;

  const filter: FilterState = [
    {
      column: "traceId",
      operator: "=" as const,
      value: traceId,
      type: "string" as const,
    },
  ];

  if (timestamp) {
    filter.push({
      column: "startTime",
      operator: ">=" as const,
      // Equivalent to TRACE_TO_OBSERVATIONS_INTERVAL (INTERVAL 1 HOUR)
      value: new Date(timestamp.getTime() - 60 * 60 * 1000),
      type: "datetime" as const,
    });
  }

  const records =
    await getObservationsFromEventsTableInternal<EventsObservationQueryResult>({
      projectId,
      filter,
      orderBy: { column: "startTime", order: "ASC" },
      limit: MAX_OBSERVATIONS_PER_TRACE + 1,
      offset: 0,
      select: "rows",
      selectIOAndMetadata,
      selectToolData,
    });

  const totalCount = records.length;

  const withModelData = await enrichObservationsWithModelData(
    records.slice(0, MAX_OBSERVATIONS_PER_TRACE),
    projectId,
    false,
    null,
  );
  const observations = await enrichObservationsWithTraceFields(withModelData);

  return { observations, totalCount };
};

export const getObservationsCountFromEventsTable = async (
  opts: ObservationTableQuery,
) => {
  const count = await getObservationsFromEventsTableInternal<{
    count: string;
  }>({
    ...opts,
    select: "count",
  });

  return Number(count[0].count);
};

/**
 * Row count plus approximate distinct trace count over the same filtered set,
 * computed in a single ClickHouse pass. Powers the events-table select-all
 * batch-delete confirmation ("N items spanning M unique traces").
 */
export const getObservationsCountsFromEventsTable = async (
  opts: ObservationTableQuery,
): Promise<{ totalCount: number; uniqueTraceCount: number }> => {
  const counts = await getObservationsFromEventsTableInternal<{
    count: string;
    unique_trace_count: string;
  }>({
    ...opts,
    select: "count-with-unique-traces",
  });

  return {
    totalCount: Number(counts[0].count),
    uniqueTraceCount: Number(counts[0].unique_trace_count),
  };
};

export async function getObservationsWithModelDataFromEventsTable(
  opts: ObservationTableQuery & {
    ioSizeCap: NonNullable<ObservationTableQuery["ioSizeCap"]>;
  },
): Promise<Array<FullEventsObservation & ObservationIOSizeFields>>;
export async function getObservationsWithModelDataFromEventsTable(
  opts: ObservationTableQuery,
): Promise<FullEventsObservations>;
export async function getObservationsWithModelDataFromEventsTable(
  opts: ObservationTableQuery,
): Promise<FullEventsObservations> {
  const observationRecords = await getObservationsFromEventsTableInternal<
    EventsObservationQueryResult & Partial<IOSizeCapRowFields>
  >({
    ...opts,
    select: "rows",
  });

  const withModelData: Array<EventsObservation & ObservationPriceFields> =
    await enrichObservationsWithModelData(
      observationRecords,
      opts.projectId,
      false,
      null, // V1 path: always enrich all fields
    );

  const enriched = await enrichObservationsWithTraceFields(withModelData);

  if (!opts.ioSizeCap) return enriched;

  // Zip the size fields back on BY ROW ORDER: both enrichers above are 1:1
  // order-preserving maps over the records (a documented contract on each).
  // Never zip by id — un-merged ReplacingMergeTree versions of one span
  // return multiple rows sharing an id, and an id-keyed lookup would attach
  // one version's lengths to another version's payload.
  if (enriched.length !== observationRecords.length) {
    throw new Error(
      "getObservationsWithModelDataFromEventsTable: enrichment changed the row count; the ioSizeCap zip requires 1:1 order-preserving enrichers",
    );
  }
  const { inlineChars } = opts.ioSizeCap;
  return enriched.map((observation, index) => {
    const record = observationRecords[index];
    const inputLength = Number(record.input_length ?? 0);
    const outputLength = Number(record.output_length ?? 0);
    return {
      ...observation,
      inputLength,
      outputLength,
      inputTruncated: inputLength > inlineChars,
      outputTruncated: outputLength > inlineChars,
      metadataTruncated: Boolean(Number(record.metadata_truncated ?? 0)),
      metadataLength: Number(record.metadata_length ?? 0),
    };
  });
}

export const getObservationMetricsForPromptsFromEvents = async (
  projectId: string,
  promptIds: string[],
  {
    fromTimestamp,
    toTimestamp,
  }: { fromTimestamp?: Date; toTimestamp?: Date } = {},
) => {
  const queryBuilder = new CTEQueryBuilder()
    .withCTE(
      "prompt_events",
      promptEventsForMetrics({
        projectId,
        promptIds,
        ...(fromTimestamp
          ? { fromTimestamp: convertDateToClickhouseDateTime(fromTimestamp) }
          : {}),
        ...(toTimestamp
          ? { toTimestamp: convertDateToClickhouseDateTime(toTimestamp) }
          : {}),
      }),
    )
    .from("prompt_events", "e")
    .select(
      "count(*) AS count",
      "e.prompt_id AS prompt_id",
      "e.prompt_version AS prompt_version",
      "min(e.start_time) AS first_observation",
      "max(e.start_time) AS last_observation",
      "medianExact(arraySum(mapValues(mapFilter(x -> positionCaseInsensitive(x.1, 'input') > 0, e.usage_details)))) AS median_input_usage",
      "medianExact(arraySum(mapValues(mapFilter(x -> positionCaseInsensitive(x.1, 'output') > 0, e.usage_details)))) AS median_output_usage",
      "medianExact(e.cost_details['total']) AS median_total_cost",
      "medianExact(dateDiff('millisecond', e.start_time, e.end_time)) AS median_latency_ms",
    )
    .whereRaw("e.is_deleted = 0")
    .groupBy("e.prompt_id", "e.prompt_version")
    .orderBy("ORDER BY e.prompt_version DESC");

  const { query, params } = queryBuilder.buildWithParams();
  const rows = await queryClickhouse<{
    count: string;
    prompt_id: string;
    prompt_version: number;
    first_observation: string;
    last_observation: string;
    median_input_usage: string;
    median_output_usage: string;
    median_total_cost: string;
    median_latency_ms: string;
  }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    count: Number(row.count),
    promptId: row.prompt_id,
    promptVersion: row.prompt_version,
    firstObservation: parseClickhouseUTCDateTimeFormat(row.first_observation),
    lastObservation: parseClickhouseUTCDateTimeFormat(row.last_observation),
    medianInputUsage: Number(row.median_input_usage),
    medianOutputUsage: Number(row.median_output_usage),
    medianTotalCost: Number(row.median_total_cost),
    medianLatencyMs: Number(row.median_latency_ms),
  }));
};

export const getObservationsWithPromptNameFromEvents = async (
  projectId: string,
  promptNames: string[],
  {
    fromTimestamp,
    toTimestamp,
  }: { fromTimestamp?: Date; toTimestamp?: Date } = {},
) => {
  const query = `
  SELECT uniq(span_id) as count, prompt_name
  FROM events_core
  WHERE project_id = {projectId: String}
  AND prompt_name IN ({promptNames: Array(String)})
  AND prompt_name != ''
  AND is_deleted = 0
  ${fromTimestamp ? "AND start_time >= {fromTimestamp: DateTime64(6)}" : ""}
  ${toTimestamp ? "AND start_time <= {toTimestamp: DateTime64(6)}" : ""}
  GROUP BY prompt_name
`;
  const rows = await queryClickhouse<{ count: string; prompt_name: string }>({
    query,
    params: {
      projectId,
      promptNames,
      fromTimestamp: fromTimestamp
        ? convertDateToClickhouseDateTime(fromTimestamp)
        : undefined,
      toTimestamp: toTimestamp
        ? convertDateToClickhouseDateTime(toTimestamp)
        : undefined,
    },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    count: Number(row.count),
    promptName: row.prompt_name,
  }));
};

export const getTraceDeleteCursorPageFromEvents = async (props: {
  projectId: string;
  filter: FilterState;
  cutoffCreatedAt: Date;
  cursor?: TraceDeleteBatchActionCursor | null;
  searchQuery?: string;
  searchType?: TracingSearchType[];
  limit: number;
  clickhouseConfigs?: ClickHouseClientConfigOptions | undefined;
}): Promise<TraceDeleteBatchActionCursor[]> => {
  // Trace-delete cursoring intentionally reuses observation pagination where
  // span_id is the final tuple element, while this scanner deduplicates by
  // trace_id. If a deleted multi-span trace is still visible on a lagging
  // replica, a later span for the same trace can be emitted again. That is
  // acceptable because trace deletion is idempotent and only retries the same
  // trace id; the processor keeps its durable in-flight traceIds boundary.
  const rows = await getObservationsFromEventsTableInternal<{
    id: string;
    trace_id: string;
    start_time: string;
  }>({
    projectId: props.projectId,
    filter: [
      ...props.filter,
      {
        column: "startTime",
        operator: "<" as const,
        value: props.cutoffCreatedAt,
        type: "datetime" as const,
      },
    ],
    searchQuery: props.searchQuery,
    searchType: props.searchType,
    limit: props.limit,
    cursor: props.cursor?.id
      ? {
          lastStartTimeTo: new Date(props.cursor.timestamp),
          lastTraceId: props.cursor.traceId,
          lastId: props.cursor.id,
        }
      : undefined,
    clickhouseConfigs: props.clickhouseConfigs,
    // This scanner runs interleaved with DELETE mutations. Use the writable
    // pool so the next page is read from the same side as the mutation path
    // instead of a potentially lagging EventsReadOnly replica.
    preferredClickhouseService: "ReadWrite",
    select: "trace-delete-cursor",
  });

  return rows.map((row) => ({
    id: row.id,
    traceId: row.trace_id,
    timestamp: parseClickhouseUTCDateTimeFormat(row.start_time).toISOString(),
  }));
};

async function getObservationsFromEventsTableInternal<T>(
  opts: ObservationTableQuery & {
    select:
      | "count"
      | "count-with-unique-traces"
      | "rows"
      | "trace-delete-cursor";
    selectToolData?: boolean;
    preferredClickhouseService?: PreferredClickhouseService;
  },
): Promise<Array<T>> {
  const {
    projectId,
    filter,
    selectIOAndMetadata,
    selectToolData = true,
    renderingProps = DEFAULT_RENDERING_PROPS,
    limit,
    offset,
    orderBy,
    clickhouseConfigs,
    preferredClickhouseService,
  } = opts;

  // Extract positionInTrace filter and build baseFilter without it
  const positionFilter = filter.find((f) => f.type === "positionInTrace");
  const baseFilter: typeof filter = [
    ...filter.filter((f) => f.type !== "positionInTrace"),
  ];

  const orderByEntries = orderByToEntries(
    [orderBy ?? null],
    eventsTableUiColumnDefinitions,
  );

  // Build filter list from baseFilter (without positionInTrace)
  // Build query using EventsQueryBuilder
  const { queryBuilder, search } = buildEventsObservationRowSelection({
    projectId,
    filter: baseFilter,
    searchQuery: opts.searchQuery,
    searchType: opts.searchType,
    orderBy,
  });

  if (opts.select === "count") {
    queryBuilder.selectFieldSet("count");
  } else if (opts.select === "count-with-unique-traces") {
    queryBuilder.selectFieldSet("countWithUniqueTraces");
  } else if (opts.select === "trace-delete-cursor") {
    queryBuilder.selectRaw(
      "e.span_id AS id",
      "e.trace_id AS trace_id",
      "e.start_time AS start_time",
    );
  } else {
    queryBuilder.selectFieldSet(
      selectToolData ? "base" : "baseWithoutTools",
      "calculated",
    );
    if (selectIOAndMetadata) {
      if (opts.ioSizeCap) {
        queryBuilder
          .selectIOWithSizeCap(
            opts.ioSizeCap.inlineChars,
            opts.ioSizeCap.previewChars,
          )
          .selectFieldSet("metadata");
      } else {
        queryBuilder
          .selectIO(
            renderingProps.truncated,
            env.LANGFUSE_SERVER_SIDE_IO_CHAR_LIMIT,
          )
          .selectFieldSet("metadata");
      }
    }
  }

  const isTraceDeleteCursorSelect = opts.select === "trace-delete-cursor";
  const isCursorPagination =
    isTraceDeleteCursorSelect || Boolean(opts.cursorPagination);

  // Handle positionInTrace via CTE with ROW_NUMBER()
  // All modes use the same pattern: rank observations per trace, pick rn = N.
  // `root` remains only for backward compatibility and maps to `first`.
  // root/first/nthFromStart → ORDER BY start_time ASC
  // last/nthFromEnd         → ORDER BY start_time DESC
  if (positionFilter && "key" in positionFilter) {
    const key = positionFilter.key;
    const isFromEnd = key === "last" || key === "nthFromEnd";
    const direction = isFromEnd ? "DESC" : "ASC";
    const position =
      key === "last" || key === "first" || key === "root"
        ? 1
        : typeof positionFilter.value === "number"
          ? positionFilter.value
          : 1;

    // Build observation-only filter for CTE (no s.* or t.* references)
    const nativeFilter = new FilterList(
      createFilterFromFilterState(
        baseFilter,
        eventsTableNativeUiColumnDefinitions,
      ),
    );
    const appliedNativeFilter = nativeFilter.apply();
    const qualifyingObsBuilder = new EventsQueryBuilder({ projectId })
      .selectRaw(
        "e.span_id",
        `ROW_NUMBER() OVER (PARTITION BY e.trace_id ORDER BY e.start_time ${direction}, e.event_ts ${direction}, e.span_id ${direction}) as _rn`,
      )
      .when(
        search.requiresEventsFull || filtersRequireEventsFull(nativeFilter),
        (b) => b.forceFullTable(),
      )
      .where(appliedNativeFilter)
      .where(search);

    queryBuilder.withCTE(
      "qualifying_obs",
      qualifyingObsBuilder.buildWithParams(),
    );

    queryBuilder.whereRaw(
      "e.span_id IN (SELECT span_id FROM qualifying_obs WHERE _rn = {_posRn: UInt32})",
      { _posRn: Math.max(1, position) },
    );
  }

  queryBuilder
    .when(isCursorPagination, (b) =>
      applyObservationsCursorFilter(opts.cursor, b),
    )
    .when(isCursorPagination, (b) => {
      const cursorOrderedBuilder = b.orderByColumns([
        ...orderByForObservationsQuery("e"),
        ...(opts.dedupeBySpanId
          ? [{ column: "e.event_ts", direction: "DESC" as const }]
          : []),
      ]);

      return isTraceDeleteCursorSelect
        ? cursorOrderedBuilder.limitBy("e.trace_id", "e.project_id")
        : opts.dedupeBySpanId
          ? cursorOrderedBuilder.limitBy("e.span_id", "e.project_id")
          : cursorOrderedBuilder;
    })
    .when(
      !isCursorPagination &&
        (orderByEntries.length > 0 || Boolean(opts.dedupeBySpanId)),
      (b) =>
        b.orderByColumns(
          opts.dedupeBySpanId
            ? // event_ts DESC within the caller's order so LIMIT 1 BY keeps
              // the newest version of each span.
              [
                ...orderByEntries,
                { column: "e.event_ts", direction: "DESC" as const },
              ]
            : orderByEntries,
        ),
    )
    .when(!isCursorPagination && Boolean(opts.dedupeBySpanId), (b) =>
      b.limitBy("e.span_id", "e.project_id"),
    )
    .limit(limit, isCursorPagination ? undefined : offset);

  const { query, params } = queryBuilder.buildWithParams();

  return queryClickhouse<T>({
    query,
    params,
    tags: { projectId },
    clickhouseConfigs,
    preferredClickhouseService: preferredClickhouseService ?? "EventsReadOnly",
  });
}

export const getObservationByIdFromEventsTable = async ({
  id,
  projectId,
  fetchWithInputOutput = false,
  startTime,
  type,
  traceId,
  renderingProps = DEFAULT_RENDERING_PROPS,
  preferredClickhouseService,
}: {
  id: string;
  projectId: string;
  fetchWithInputOutput?: boolean;
  startTime?: Date;
  type?: ObservationType;
  traceId?: string;
  renderingProps?: RenderingProps;
  preferredClickhouseService?: PreferredClickhouseService;
}) => {
  const records = await getObservationByIdFromEventsTableInternal({
    id,
    projectId,
    fetchWithInputOutput,
    startTime,
    type,
    traceId,
    renderingProps,
    preferredClickhouseService: preferredClickhouseService ?? "EventsReadOnly",
  });
  const mapped = records.map((record) => {
    // Remove raw tags field as this is re-mapped to traceTags
    const { tags, ...converted } = convertEventsObservation(
      record,
      renderingProps,
      true,
    );

    return {
      ...converted,
      traceTags: tags ?? [],
    };
  });

  mapped.forEach((observation) => {
    recordDistribution(
      "langfuse.query_by_id_age",
      new Date().getTime() - observation.startTime.getTime(),
      {
        table: "events",
      },
    );
  });
  if (mapped.length === 0) {
    throw new LangfuseNotFoundError(`Observation with id ${id} not found`);
  }

  if (mapped.length > 1) {
    logger.error(
      `Multiple observations found for id ${id} and project ${projectId}`,
    );
    throw new InternalServerError(
      `Multiple observations found for id ${id} and project ${projectId}`,
    );
  }
  return mapped.shift();
};

async function getObservationByIdFromEventsTableInternal({
  id,
  projectId,
  fetchWithInputOutput = false,
  startTime,
  type,
  traceId,
  renderingProps = DEFAULT_RENDERING_PROPS,
  preferredClickhouseService,
}: {
  id: string;
  projectId: string;
  fetchWithInputOutput?: boolean;
  startTime?: Date;
  type?: ObservationType;
  traceId?: string;
  renderingProps?: RenderingProps;
  preferredClickhouseService?: PreferredClickhouseService;
}) {
  const queryBuilder = new EventsQueryBuilder({ projectId })
    .selectFieldSet("byIdBase", "byIdModel", "byIdPrompt", "byIdTimestamps")
    .when(fetchWithInputOutput, (b) =>
      b.selectIO(
        renderingProps.truncated,
        env.LANGFUSE_SERVER_SIDE_IO_CHAR_LIMIT,
      ),
    )
    .whereRaw("span_id = {id: String}", { id })
    .when(Boolean(startTime), (b) =>
      b.whereRaw("toDate(start_time) = toDate({startTime: DateTime64(3)})", {
        startTime: convertDateToClickhouseDateTime(startTime!),
      }),
    )
    .when(Boolean(type), (b) => b.whereRaw("type = {type: String}", { type }))
    .when(Boolean(traceId), (b) =>
      b.whereRaw("trace_id = {traceId: String}", { traceId }),
    )
    .orderByColumns([
      { column: "start_time", direction: "DESC" },
      { column: "event_ts", direction: "DESC" },
    ])
    .limit(1, 0);

  const { query, params } = queryBuilder.buildWithParams();

  return await queryClickhouse<EventsObservationRecordReadType>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService,
  });
}

/**
 * Get a trace by ID from the events table.
 * Compatible with getTraceById but queries the events table instead.
 *
 * Avoid using the `excludeInputOutput` and `excludeMetadata` fields as they
 * are only for backwards compatibility with the existing `getTraceById` interface.
 */
export const getTraceByIdFromEventsTable = async ({
  traceId,
  projectId,
  timestamp,
  fromTimestamp,
  renderingProps = DEFAULT_RENDERING_PROPS,
  preferredClickhouseService,
  excludeInputOutput = false,
  excludeMetadata = false,
}: {
  traceId: string;
  projectId: string;
  timestamp?: Date;
  fromTimestamp?: Date;
  renderingProps?: RenderingProps;
  preferredClickhouseService?: PreferredClickhouseService;
  /** When true, sets input/output columns to empty in the query to reduce database load */
  excludeInputOutput?: boolean;
  /** When true, sets metadata column to empty in the query to reduce database load */
  excludeMetadata?: boolean;
}) => {
  // Build traces CTE using eventsTracesAggregation
  // Pass truncated flag to select events_core (truncated) or events_full (full I/O)
  const tracesBuilder = eventsTracesAggregation({
    projectId,
    traceIds: [traceId],
    startTimeFrom: fromTimestamp
      ? convertDateToClickhouseDateTime(fromTimestamp)
      : null,
    truncated: renderingProps.truncated,
  });

  // Build the final query
  const queryBuilder = new CTEQueryBuilder()
    .withCTEFromBuilder("traces", tracesBuilder)
    .from("traces", "t")
    .selectColumns(
      "t.id",
      "t.name",
      "t.user_id",
      "t.release",
      "t.version",
      "t.project_id",
      "t.environment",
      "t.public",
      "t.bookmarked",
      "t.tags",
      "t.session_id",
      "t.timestamp",
      "t.created_at",
      "t.updated_at",
    )
    .select(excludeMetadata ? "map() as metadata" : "t.metadata")
    .select("0 as is_deleted");

  if (timestamp) {
    queryBuilder.whereRaw(
      `toDate(t.timestamp) = toDate({timestamp: DateTime64(3)})`,
      {
        timestamp: convertDateToClickhouseDateTime(timestamp),
      },
    );
  }

  // Handle input/output with truncation
  // Note: eventsTracesAggregation above is responsible for choosing events_core/events_full
  if (excludeInputOutput) {
    queryBuilder.select("'' as input").select("'' as output");
  } else if (renderingProps.truncated) {
    queryBuilder
      .select(
        `leftUTF8(t.input, ${env.LANGFUSE_SERVER_SIDE_IO_CHAR_LIMIT}) as input`,
      )
      .select(
        `leftUTF8(t.output, ${env.LANGFUSE_SERVER_SIDE_IO_CHAR_LIMIT}) as output`,
      );
  } else {
    queryBuilder.selectColumns("t.input", "t.output");
  }

  queryBuilder.orderBy("ORDER BY t.timestamp DESC").limit(1);

  const { query, params } = queryBuilder.buildWithParams();

  const records = await queryClickhouse<TraceRecordReadType>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: preferredClickhouseService ?? "EventsReadOnly",
  });

  const res = records.map((record) =>
    convertClickhouseToDomain(record, renderingProps),
  );

  res.forEach((trace) => {
    recordDistribution(
      "langfuse.query_by_id_age",
      new Date().getTime() - trace.timestamp.getTime(),
      {
        table: "events",
      },
    );
  });

  return res.shift();
};

/**
 * Routing wrapper for "trace by id" reads.
 *
 * If data is only written into the events tables, we look there and go to
 * traces otherwise.
 *
 * @deprecated Please prefer `getTraceByIdFromEventsTable` for new use-cases.
 * This should be exclusively used for backwards compatibility if the write mode
 * is events_only.
 */
export const getTraceById = async (
  params: Parameters<typeof getTraceByIdFromTracesTable>[0],
) => {
  if (env.LANGFUSE_MIGRATION_V4_WRITE_MODE !== "events_only") {
    return getTraceByIdFromTracesTable(params);
  }
  return getTraceByIdFromEventsTable(params);
};

/**
 * Routing wrapper for "observation by id" reads.
 *
 * If data is only written into the events tables, we look there and go to the
 * legacy observations table otherwise.
 *
 * @deprecated Please prefer `getObservationByIdFromEventsTable` for new
 * use-cases. This should be exclusively used for backwards compatibility if the
 * write mode is events_only.
 */
export const getObservationById = async (
  params: Parameters<typeof getObservationByIdFromObservationsTable>[0],
) => {
  if (env.LANGFUSE_MIGRATION_V4_WRITE_MODE !== "events_only") {
    return getObservationByIdFromObservationsTable(params);
  }
  return getObservationByIdFromEventsTable(params);
};

/**
 * Routing wrapper for "trace identifiers for session" reads.
 *
 * If data is only written into the events tables, we look there and go to the
 * legacy traces table otherwise.
 *
 * @deprecated Please prefer `getTracesIdentifierForSessionFromEvents` for new
 * use-cases. This should be exclusively used for backwards compatibility if the
 * write mode is events_only.
 */
export const getTracesIdentifierForSession = async (
  projectId: string,
  sessionId: string,
) => {
  if (env.LANGFUSE_MIGRATION_V4_WRITE_MODE !== "events_only") {
    return getTracesIdentifierForSessionFromTracesTable(projectId, sessionId);
  }
  return getTracesIdentifierForSessionFromEvents(projectId, sessionId);
};

/**
 * Check if any tracing data exists in the events table.
 */
export const hasAnyTraceFromEventsTable = async (
  projectId: string,
): Promise<boolean> => {
  const query = `
    SELECT 1
    FROM events_core
    WHERE project_id = {projectId: String}
    AND is_deleted = 0
    LIMIT 1
  `;

  const rows = await queryClickhouse<{ 1: number }>({
    query,
    params: { projectId },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
    clickhouseSettings: {
      max_threads: 1,
    },
  });

  return rows.length > 0;
};

/**
 * Routing wrapper for the tracing onboarding gate ("has this project ingested
 * any tracing data yet?").
 *
 * If data is only written into the events tables, we look there and go to the
 * legacy traces table otherwise. Both paths share the project's `hasTraces`
 * flag as a read-through cache, so steady-state checks skip ClickHouse.
 */
export const hasAnyTracingData = async (projectId: string) => {
  if (env.LANGFUSE_MIGRATION_V4_WRITE_MODE !== "events_only") {
    return hasAnyTrace(projectId);
  }

  if (await readProjectHasTracesFlag(projectId)) {
    return true;
  }

  const result = await hasAnyTraceFromEventsTable(projectId);
  if (result) {
    await persistProjectHasTracesFlag(projectId);
  }
  return result;
};

/**
 * Last event start_time per project from the events table, capped to the last
 * 30 days (matches the traces-table variant's window).
 */
export const getLastTraceTimestampsByProjectsFromEventsTable = async ({
  projectIds,
}: {
  projectIds: string[];
}) => {
  if (projectIds.length === 0) return [];

  const query = `
    SELECT
      project_id,
      max(start_time) as last_trace_at
    FROM events_core
    WHERE project_id IN ({projectIds: Array(String)})
    AND start_time >= now() - INTERVAL 30 DAY
    AND is_deleted = 0
    GROUP BY project_id
  `;

  const rows = await queryClickhouse<{
    project_id: string;
    last_trace_at: string;
  }>({
    query,
    params: { projectIds },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    projectId: row.project_id,
    lastTraceAt: parseClickhouseUTCDateTimeFormat(row.last_trace_at),
  }));
};

/**
 * Routing wrapper for "last trace timestamp per project" reads.
 *
 * If data is only written into the events tables, we look there and go to the
 * legacy traces table otherwise.
 */
export const getLastTraceTimestampsByProjects = async (
  params: Parameters<typeof getLastTraceTimestampsByProjectsFromTracesTable>[0],
) => {
  if (env.LANGFUSE_MIGRATION_V4_WRITE_MODE !== "events_only") {
    return getLastTraceTimestampsByProjectsFromTracesTable(params);
  }
  return getLastTraceTimestampsByProjectsFromEventsTable(params);
};

type PublicApiObservationsQuery = {
  projectId: string;
  page: number;
  limit: number;
  traceId?: string;
  userId?: string;
  sessionId?: string;
  name?: string;
  type?: string;
  level?: string;
  parentObservationId?: string;
  isRootObservation?: boolean;
  fromStartTime?: string;
  toStartTime?: string;
  version?: string;
  environment?: string | string[];
  advancedFilters?: EventsTableFilterState;
  parseIoAsJson?: boolean;
  cursor?: {
    lastStartTimeTo: Date;
    lastTraceId: string;
    lastId: string;
  };
  fields?: ObservationFieldGroupPublicApi[] | null;
  /**
   * Metadata keys to expand (return full non-truncated values).
   * - null/undefined: use truncated metadata (default behavior)
   * - string[]: expand specified keys (or all keys if empty array)
   */
  expandMetadataKeys?: string[] | null;
};

type BuildObservationsQueryComponentsOptions = {
  allowUnindexedIoFilters?: boolean;
};

const EVENTS_IO_FILTER_TYPE_ERROR =
  "Input/output filters only support filter type `string`.";

const validateInputOutputFilterTypes = (
  filterState: EventsTableFilterState | undefined,
  columnDefinitions: UiColumnMappings,
) => {
  for (const filter of filterState ?? []) {
    const column = findUiColumnMapping(columnDefinitions, filter.column);

    if (
      column &&
      isFtsEventsTable(column.clickhouseTableName) &&
      isFtsTextField(column.clickhouseSelect) &&
      filter.type !== "string"
    ) {
      throw new InvalidRequestError(EVENTS_IO_FILTER_TYPE_ERROR);
    }
  }
};

const isInputOutputFilter = (filter: Filter): boolean =>
  isFtsTextField(filter.field);

const validateIndexedInputOutputFilters = (filter: FilterList) => {
  const hasIoFilter = filter.some(isInputOutputFilter);
  if (!hasIoFilter) {
    return;
  }

  const hasRequiredIoFilter = filter.some(
    (f) => isInputOutputFilter(f) && isFtsAcceleratedIoOperator(f.operator),
  );
  if (!hasRequiredIoFilter) {
    throw new InvalidRequestError(
      "Input/output filters require at least one `matches` or `=` operator.",
    );
  }
};

/**
 * Build observation query components: an EventsQueryBuilder (with JOINs and filters but
 * without CTEs) and any external CTEs that should be composed at the outer level.
 *
 * This enables CTE-based split queries where external CTEs (e.g. traces) are hoisted
 * to the outer WITH clause rather than embedded in the EventsQueryBuilder.
 */
function buildObservationsQueryComponents(
  opts: PublicApiObservationsQuery,
  columnDefinitions: UiColumnMappings = eventsTableNativeUiColumnDefinitions,
  options: BuildObservationsQueryComponentsOptions = {},
): {
  queryBuilder: EventsQueryBuilder;
  externalCTEs: Array<{
    name: string;
    queryWithParams: { query: string; params: Record<string, any> };
  }>;
} {
  const { projectId, advancedFilters, ...filterParams } = opts;

  if (!options.allowUnindexedIoFilters) {
    validateInputOutputFilterTypes(advancedFilters, columnDefinitions);
  }

  // Convert and merge simple and advanced filters
  const observationsFilter = deriveFilters(
    { ...filterParams, projectId },
    PUBLIC_API_EVENTS_COLUMN_MAPPING,
    advancedFilters,
    columnDefinitions,
    eventsTableCols,
  );

  if (!options.allowUnindexedIoFilters) {
    validateIndexedInputOutputFilters(observationsFilter);
  }

  // Determine if we need to join traces (check both simple params and advanced filters)
  const hasTraceFilter = observationsFilter.some(
    (f) => f.clickhouseTable === "traces",
  );
  const filtersNeedFullTable = filtersRequireEventsFull(observationsFilter);

  // Extract time filter and apply filters
  const startTimeFrom = extractTimeFilter(observationsFilter);
  const appliedFilter = observationsFilter.apply();

  // Build external CTEs
  const externalCTEs: Array<{
    name: string;
    queryWithParams: { query: string; params: Record<string, any> };
  }> = [];
  if (hasTraceFilter) {
    externalCTEs.push({
      name: "traces",
      queryWithParams: eventsTracesAggregation({
        projectId,
        startTimeFrom,
      }).buildWithParams(),
    });
  }

  // Build query with joins and filters (no CTEs)
  const queryBuilder = new EventsQueryBuilder({ projectId })
    .when(filtersNeedFullTable, (b) => b.forceFullTable())
    .when(hasTraceFilter, (b) =>
      b.leftJoin(
        "traces t",
        "ON t.id = e.trace_id AND t.project_id = e.project_id",
      ),
    )
    .where(appliedFilter);

  return { queryBuilder, externalCTEs };
}

function buildObservationsQueryBase(
  opts: PublicApiObservationsQuery,
  columnDefinitions: UiColumnMappings = eventsTableNativeUiColumnDefinitions,
): EventsQueryBuilder {
  const { queryBuilder, externalCTEs } = buildObservationsQueryComponents(
    opts,
    columnDefinitions,
    { allowUnindexedIoFilters: true },
  );
  for (const cte of externalCTEs) {
    queryBuilder.withCTE(cte.name, cte.queryWithParams);
  }
  return queryBuilder;
}

function orderByForObservationsQuery(
  prefix = "e",
  span_id = "span_id",
): OrderByEntry[] {
  // Order by to cursor ordering.
  // project_id and potentially other prefixes are injected in the query builder when necessary
  return [
    { column: `${prefix}.start_time`, direction: "DESC" as const },
    { column: `xxHash32(${prefix}.trace_id)`, direction: "DESC" as const },
    { column: `${prefix}.${span_id}`, direction: "DESC" as const },
  ];
}

function applyOrderByForObservationsQuery(
  queryBuilder: EventsQueryBuilder,
): EventsQueryBuilder {
  return queryBuilder.orderByColumns(orderByForObservationsQuery("e"));
}

function applyOffsetPagination(
  opts: PublicApiObservationsQuery,
  queryBuilder: EventsQueryBuilder,
): EventsQueryBuilder {
  // Apply offset pagination for page-based requests
  const offset = (opts.page - 1) * opts.limit;
  return queryBuilder.limit(opts.limit, offset);
}

function applyObservationsCursorFilter(
  cursor: PublicApiObservationsQuery["cursor"] | undefined,
  queryBuilder: EventsQueryBuilder,
): EventsQueryBuilder {
  // The cursor carries start_time at millisecond precision (JS Date round-trip),
  // while the column is DateTime64(6). This is lossless only because every
  // ingestion path writes ms-aligned start_time values (OTel nanos are floored
  // to ms). If ingestion ever preserves sub-millisecond precision, this bound
  // floors to the boundary row's millisecond and permanently skips rows at page
  // boundaries — carry the raw ClickHouse string through the cursor instead (LFE-10405).
  return queryBuilder.when(Boolean(cursor), (b) => {
    const currentCursor = cursor;
    if (!currentCursor) {
      return b;
    }

    return b.whereRaw(
      "e.start_time <= {lastStartTime: DateTime64(6)} AND (e.start_time, xxHash32(e.trace_id), e.span_id) < ({lastStartTime: DateTime64(6)}, xxHash32({lastTraceId: String}), {lastId: String})",
      {
        lastStartTime: convertDateToClickhouseDateTime(
          currentCursor.lastStartTimeTo,
        ),
        lastTraceId: currentCursor.lastTraceId,
        lastId: currentCursor.lastId,
      },
    );
  });
}

function applyCursorPagination(
  opts: PublicApiObservationsQuery,
  queryBuilder: EventsQueryBuilder,
): EventsQueryBuilder {
  queryBuilder = applyObservationsCursorFilter(opts.cursor, queryBuilder);

  // Always apply limit (fetch limit+1 to detect if there are more results)
  return queryBuilder.limit(opts.limit + 1, undefined);
}

async function getObservationsRowsFromBuilder<T>(
  projectId: string,
  queryBuilder: QueryWithParams,
  extraTags: Record<string, string> = {},
): Promise<Array<T>> {
  const { query, params } = queryBuilder.buildWithParams();

  return await queryClickhouse<T>({
    query,
    params,
    tags: { projectId, ...extraTags },
    preferredClickhouseService: "EventsReadOnly",
  });
}

/**
 * Internal function to get count of observations from events table for public API.
 */
async function getObservationsCountFromEventsTableForPublicApiInternal(
  opts: PublicApiObservationsQuery,
): Promise<Array<{ count: string }>> {
  const { projectId } = opts;

  // Build query with filters and common CTEs
  const queryBuilder = buildObservationsQueryBase(opts);

  // Select count field set
  queryBuilder.selectFieldSet("count");

  const { query, params } = queryBuilder.buildWithParams();

  const result = await queryClickhouse<{ count: string }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return result;
}

/**
 * V1 API: Get observations list from events table for public API
 * Returns complete observations with all fields for transformDbToApiObservation
 */
export const getObservationsFromEventsTableForPublicApi = async (
  opts: Omit<PublicApiObservationsQuery, "fields">,
): Promise<Array<EventsObservation & ObservationPriceFields>> => {
  const { projectId } = opts;

  // Build query with filters and common CTEs
  const queryBuilder = applyOffsetPagination(
    opts,
    applyOrderByForObservationsQuery(buildObservationsQueryBase(opts)),
  );

  OBSERVATION_FIELD_GROUPS_PUBLIC_API.forEach((fieldGroup) => {
    queryBuilder.selectFieldSet(fieldGroup);
  });

  const observationRecords =
    await getObservationsRowsFromBuilder<EventsObservationQueryResult>(
      projectId,
      queryBuilder,
    );

  const observations = await enrichObservationsWithModelData(
    observationRecords,
    opts.projectId,
    opts.parseIoAsJson ?? true, // V1 API: default to parsing JSON (backwards compatibility)
    null, // V1 API: no field groups, return complete observations
  );

  return observations;
};

/**
 * V2 API: Get observations list from events table for public API
 * Returns partial observations based on requested field groups
 * Field filtering happens at query time in ClickHouse
 *
 * When IO or expanded metadata is requested, uses a CTE-based split query:
 * - base CTE: filters/orders/limits on events_core (fast, truncated)
 * - io CTE: fetches full IO/metadata from events_full for matched rows only
 * This avoids expensive full-table scans on events_full.
 */
export const getObservationsV2FromEventsTableForPublicApi = async (
  opts: PublicApiObservationsQuery,
  options: BuildObservationsQueryComponentsOptions = {},
): Promise<Array<EventsObservationPublic>> => {
  const { projectId, expandMetadataKeys } = opts;

  // Determine which field groups to include
  const requestedFields = opts.fields ?? ["core", "basic"];

  const needsIO = requestedFields.includes("io");
  const needsExpandedMetadata =
    requestedFields.includes("metadata") &&
    expandMetadataKeys != null &&
    expandMetadataKeys.length > 0;
  const needsIOCTE = needsIO || needsExpandedMetadata;
  // Metadata goes to io CTE when in CTE mode and metadata is requested
  const metadataFromFullTable =
    needsIOCTE && requestedFields.includes("metadata");

  // Shared: build base query with field sets, ordering, pagination
  const { queryBuilder: baseBuilder, externalCTEs } =
    buildObservationsQueryComponents(
      opts,
      eventsTableNativeUiColumnDefinitions,
      options,
    );

  // Shared steps: ordering and pagination apply to every path and are
  // independent of which columns each path projects.
  applyOrderByForObservationsQuery(baseBuilder);
  applyCursorPagination(opts, baseBuilder);

  // Pick the query shape. When IO/expanded metadata is requested, use the
  // CTE+JOIN split query that fetches those columns from events_full for the
  // matched rows only; otherwise everything comes from events_core directly.
  const queryPath: "simple" | "cte-join" = needsIOCTE ? "cte-join" : "simple";

  // Field groups projected on the base builder.
  // `io` (and `metadata` when it must come untruncated from events_full) is
  // fetched by the io CTE instead; selecting it on events_core would return
  // truncated values.
  const selectBaseFieldSets = () => {
    baseBuilder.selectFieldSet("core");
    const excludeFromBase = new Set<string>(["core", "io"]);
    if (metadataFromFullTable) excludeFromBase.add("metadata");
    requestedFields
      .filter((fg) => !excludeFromBase.has(fg))
      .forEach((fg) => baseBuilder.selectFieldSet(fg));
  };

  let builder: QueryWithParams;
  switch (queryPath) {
    case "simple":
      // Everything from events_core; CTEs attach directly to the builder.
      selectBaseFieldSets();
      for (const cte of externalCTEs) {
        baseBuilder.withCTE(cte.name, cte.queryWithParams);
      }
      builder = baseBuilder;
      break;
    case "cte-join":
      // Scalar groups from events_core, IO/metadata joined from events_full.
      selectBaseFieldSets();
      builder = buildEventsFullTableSplitQuery({
        projectId,
        baseBuilder,
        includeIO: needsIO,
        includeMetadata: metadataFromFullTable,
        externalCTEs,
      }).orderByColumns(orderByForObservationsQuery("b", "id"));
      break;
  }

  const records =
    await getObservationsRowsFromBuilder<EventsObservationQueryResult>(
      projectId,
      builder,
    );

  return await enrichObservationsWithModelData(
    records,
    projectId,
    false, // V2 API: IO fields are always returned as raw strings
    requestedFields,
  );
};

/**
 * Get count of observations from events table for public API.
 */
export const getObservationsCountFromEventsTableForPublicApi = async (
  opts: PublicApiObservationsQuery,
): Promise<number> => {
  const countResult =
    await getObservationsCountFromEventsTableForPublicApiInternal(opts);
  return Number(countResult[0].count);
};

type PublicApiTracesQuery = {
  projectId: string;
  page: number;
  limit: number;
  userId?: string;
  name?: string;
  tags?: string | string[];
  sessionId?: string;
  version?: string;
  release?: string;
  environment?: string | string[];
  fromTimestamp?: string;
  toTimestamp?: string;
  fields?: string[];
  advancedFilters?: FilterState;
  orderBy?: { column: string; order: "ASC" | "DESC" } | null;
};

/**
 * Internal implementation for public API traces queries.
 * Uses eventsTracesAggregation to create a traces CTE that
 * behaves similarly to the old traces table.
 */
async function getTracesFromEventsTableForPublicApiInternal<T>(
  opts: PublicApiTracesQuery & { select: "rows" | "count" },
): Promise<Array<T>> {
  const {
    projectId,
    page,
    limit,
    advancedFilters,
    fields,
    orderBy,
    ...filterParams
  } = opts;

  // Determine which field groups are requested
  const includeIO = Boolean(fields?.includes("io"));
  const includeScores = Boolean(fields?.includes("scores"));
  const includeObservations = Boolean(fields?.includes("observations"));
  const includeMetrics = Boolean(fields?.includes("metrics"));

  // Convert and merge simple and advanced filters
  const tracesFilter = deriveFilters(
    { ...filterParams, projectId, page, limit },
    PUBLIC_API_TRACES_COLUMN_MAPPING,
    advancedFilters,
    TRACES_FROM_EVENTS_UI_COLUMN_DEFINITIONS,
    tracesTableCols,
  );

  // Extract time filter for cut-off point in eventsTracesAggregation
  // After aggregation, the time column is "timestamp" (not "start_time")
  const startTimeFrom = extractTimeFilter(tracesFilter, "traces", "timestamp");

  const appliedFilter = tracesFilter.apply();

  // Check if any filters reference the scores table
  const filtersNeedScores = tracesFilter.some(
    (f) => f.clickhouseTable === "scores",
  );

  // Check if filters specifically reference score aggregation columns
  const hasScoreAggregationFilters = tracesFilter.some(
    (f) =>
      f.field === "s.scores_avg" ||
      f.field === "s.score_categories" ||
      f.field === "s.score_booleans",
  );
  const scoreRowsFilter = planScoreFilterPushdown({
    filters: tracesFilter,
    scoreDataRequirement: resolveScoreDataRequirement({
      selectsScoreData: opts.select === "rows" && includeScores,
    }),
  });

  // Build traces CTE using eventsTracesAggregation WITHOUT filters
  // Filters must be applied AFTER aggregation to ensure filters on aggregated
  // fields (like timestamp or version) are applied correctly
  // Use events_full when I/O is requested (truncated: false), otherwise events_core
  const tracesBuilder = eventsTracesAggregation({
    projectId,
    startTimeFrom,
    truncated: !includeIO,
  });

  // Build the final query using CTEQueryBuilder
  let queryBuilder = new CTEQueryBuilder()
    .withCTEFromBuilder("traces", tracesBuilder)
    .from("traces", "t")
    .where(appliedFilter);

  if (includeScores || filtersNeedScores) {
    const scoresCTE = eventsTracesScoresAggregation({
      projectId,
      startTimeFrom,
      hasScoreAggregationFilters,
      scoreRowsFilter,
    });
    queryBuilder = queryBuilder
      .withCTE("score_stats", {
        ...scoresCTE,
        schema: [
          "trace_id",
          "project_id",
          "score_ids",
          "scores_avg",
          "score_categories",
          "score_booleans",
        ],
      })
      .leftJoin(
        "score_stats",
        "s",
        "ON s.trace_id = t.id AND s.project_id = t.project_id",
      );
  }

  // Select fields based on query type and field groups
  if (opts.select === "count") {
    queryBuilder.select("count() as count");
  } else {
    // Build select list
    queryBuilder = queryBuilder.selectColumns(
      "t.id",
      "t.project_id",
      "t.timestamp",
      "t.name",
      "t.environment",
      "t.session_id",
      "t.user_id",
      "t.version",
      "t.created_at",
      "t.updated_at",
      "t.tags",
      "t.bookmarked",
      "t.public",
      "t.release",
    );

    queryBuilder.select(
      "CONCAT('/project/', t.project_id, '/traces/', t.id) as htmlPath",
    );

    // Conditionally include other field groups
    if (includeIO) {
      queryBuilder = queryBuilder.selectColumns(
        "t.input",
        "t.output",
        "t.metadata",
      );
    }
    if (includeScores) {
      queryBuilder.select("s.score_ids as scores");
    }
    if (includeObservations) {
      queryBuilder.select("t.observation_ids as observations");
    }
    if (includeMetrics) {
      queryBuilder.select(
        "t.total_cost as totalCost",
        "COALESCE(t.latency_milliseconds / 1000, 0) as latency",
      );
    }

    const chOrderBy =
      orderByToClickhouseSql(
        orderBy ? [orderBy] : [],
        TRACES_ORDER_BY_COLUMNS,
      ) || "ORDER BY t.project_id DESC, t.timestamp DESC";

    queryBuilder.orderBy(chOrderBy).limit(limit, (page - 1) * limit);
  }

  const { query, params } = queryBuilder.buildWithParams();

  const result = await queryClickhouse<T>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return result;
}

/**
 * Get traces list from events table for public API.
 * Aggregates events by trace_id to rebuild traces with observation metrics.
 */
export const getTracesFromEventsTableForPublicApi = async (
  opts: PublicApiTracesQuery,
): Promise<Array<any>> => {
  const requestedFields = opts.fields ?? [
    "core",
    "io",
    "scores",
    "observations",
    "metrics",
  ];
  const includeScores = requestedFields.includes("scores");
  const includeObservations = requestedFields.includes("observations");
  const includeMetrics = requestedFields.includes("metrics");

  const result = await getTracesFromEventsTableForPublicApiInternal<any>({
    ...opts,
    select: "rows",
  });

  // Convert ClickHouse format to domain format and handle field groups
  return convertClickhouseTracesListToDomain(result, {
    scores: includeScores,
    observations: includeObservations,
    metrics: includeMetrics,
  });
};

/**
 * Get count of traces from events table for public API.
 * Uses same aggregation as list query to ensure consistent filtering.
 */
export const getTracesCountFromEventsTableForPublicApi = async (
  opts: PublicApiTracesQuery,
): Promise<number> => {
  const countResult = await getTracesFromEventsTableForPublicApiInternal<{
    count: string;
  }>({
    ...opts,
    select: "count",
  });
  return Number(countResult[0].count);
};

const updateableEventKeys = ["bookmarked", "public"] as const;

type UpdateableEventFields = {
  [K in (typeof updateableEventKeys)[number]]?: boolean;
};

/**
 * Update events in ClickHouse based on selector and updates provided.
 * Selector can filter by spanIds, traceIds, and rootOnly flag.
 * Both spanIds / traceIds are used only when defined and non-empty.
 * E.g. `{ traceIds: [...] }` will only filter by traceIds, while
 * `{ spanIds: [...], traceIds: [...] }` will filter by both.
 *
 * Updates both events_full and events_core tables.
 */
export const updateEvents = async (
  projectId: string,
  selector: { spanIds?: string[]; traceIds?: string[]; rootOnly?: boolean },
  updates: UpdateableEventFields,
): Promise<void> => {
  const setClauses: string[] = [];
  for (const key of updateableEventKeys) {
    if (updates[key] !== undefined) {
      setClauses.push(`${key} = {${key}: Bool}`);
    }
  }
  if (setClauses.length === 0) {
    // Nothing to update
    return;
  }

  const whereClause = `
    WHERE project_id = {projectId: String}
    ${selector.spanIds ? "AND span_id IN ({spanIds: Array(String)})" : ""}
    ${selector.traceIds ? "AND trace_id IN ({traceIds: Array(String)})" : ""}
    ${selector.rootOnly === true ? "AND parent_span_id = ''" : ""}
  `;

  const params = {
    projectId,
    spanIds: selector.spanIds ?? [],
    traceIds: selector.traceIds ?? [],
    ...updates,
  };

  const useLightweightUpdate = env.CLICKHOUSE_USE_LIGHTWEIGHT_UPDATE === "true";

  const updateOpts = (table: string) => ({
    query: useLightweightUpdate
      ? `UPDATE ${table} SET ${setClauses.join(", ")} ${whereClause}`
      : `ALTER TABLE ${table} UPDATE ${setClauses.join(", ")} ${whereClause}`,
    params,
    tags: { projectId },
  });

  await Promise.all([
    commandClickhouse(updateOpts("events_full")),
    commandClickhouse(updateOpts("events_core")),
  ]);
};

type GroupedEventsFilterOptions = {
  limit?: number;
  scope?: EventFilterOptionScope;
};

type BuiltEventsFilterOptionColumnQuery = NonNullable<
  ReturnType<typeof buildEventsFilterOptionColumnQuery>
>;
type BuiltEventsFilterOptionsForColumnsQuery = NonNullable<
  ReturnType<typeof buildEventsFilterOptionsForColumnsQuery>
>;

const queryEventsFilterOptionRows = async (
  projectId: string,
  queryWithParams:
    | BuiltEventsFilterOptionColumnQuery
    | BuiltEventsFilterOptionsForColumnsQuery,
) => {
  return queryClickhouse<EventFilterOptionRow>({
    query: queryWithParams.query,
    params: queryWithParams.params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });
};

const queryEventsFilterOptionsForColumns = async (params: {
  projectId: string;
  filter: FilterState;
  columns: readonly EventFilterOptionColumn[];
  limit: number;
  scope?: EventFilterOptionScope;
  includeApproxCount?: boolean;
}) => {
  const queryWithParams = buildEventsFilterOptionsForColumnsQuery({
    projectId: params.projectId,
    filter: params.filter,
    columns: params.columns,
    limit: params.limit,
    scope: params.scope,
    includeApproxCount: params.includeApproxCount,
    sampleRows: EVENTS_FILTER_OPTION_SAMPLE_ROWS,
  });

  if (!queryWithParams) {
    return [];
  }

  return queryEventsFilterOptionRows(params.projectId, queryWithParams);
};

const queryEventsFilterOptionColumn = async (params: {
  projectId: string;
  filter: FilterState;
  column: EventFilterOptionColumn;
  limit: number;
  offset?: number;
  scope?: EventFilterOptionScope;
  sampleRows?: number;
}) => {
  const queryWithParams = buildEventsFilterOptionColumnQuery({
    projectId: params.projectId,
    filter: params.filter,
    column: params.column,
    limit: params.limit,
    offset: params.offset,
    scope: params.scope,
    sampleRows: params.sampleRows,
  });

  if (!queryWithParams) {
    return [];
  }

  return queryEventsFilterOptionRows(params.projectId, queryWithParams);
};

export const getEventsFilterOptionsForColumns = async (params: {
  projectId: string;
  filter: FilterState;
  columns: readonly EventFilterOptionColumn[];
  topN?: number;
  scope?: EventFilterOptionScope;
  includeApproxCount?: boolean;
}) =>
  queryEventsFilterOptionsForColumns({
    ...params,
    limit: params.topN ?? EVENTS_FILTER_OPTION_TOP_N,
  });

// Unsampled: the cursor contract lets MCP agents page the true distinct set.
export const getEventsFilterOptionValuesPage = async (params: {
  projectId: string;
  filter: FilterState;
  column: EventFilterOptionColumn;
  limit: number;
  offset: number;
}) =>
  queryEventsFilterOptionColumn({
    projectId: params.projectId,
    filter: params.filter,
    column: params.column,
    limit: params.limit,
    offset: params.offset,
  });

/** EventsMetadataOptionRow is one metadata key or value with its event count. */
export type EventsMetadataOptionRow = { value: string; count: number };

/** getEventsMetadataValues returns the top-N distinct values for one metadata key on the events table. */
export const getEventsMetadataValues = async (params: {
  projectId: string;
  filter: FilterState;
  key: string;
  topN?: number;
}): Promise<EventsMetadataOptionRow[]> => {
  const queryWithParams = buildEventsMetadataValuesQuery({
    projectId: params.projectId,
    filter: params.filter,
    key: params.key,
    limit: params.topN ?? EVENTS_FILTER_OPTION_TOP_N,
    sampleRows: EVENTS_FILTER_OPTION_SAMPLE_ROWS,
  });

  if (!queryWithParams) {
    return [];
  }

  return queryClickhouse<EventsMetadataOptionRow>({
    query: queryWithParams.query,
    params: queryWithParams.params,
    tags: { projectId: params.projectId },
    preferredClickhouseService: "EventsReadOnly",
  });
};

const getSingleEventsFilterOptionColumn = async (
  projectId: string,
  filter: FilterState,
  column: EventFilterOptionColumn,
  opts?: GroupedEventsFilterOptions,
) =>
  queryEventsFilterOptionColumn({
    projectId,
    filter,
    column,
    limit: opts?.limit ?? EVENTS_FILTER_OPTION_TOP_N,
    scope: opts?.scope,
    sampleRows: EVENTS_FILTER_OPTION_SAMPLE_ROWS,
  });

export const getEventsGroupedByTraceName = async (
  projectId: string,
  filter: FilterState,
  opts?: GroupedEventsFilterOptions,
) => {
  const rows = await getSingleEventsFilterOptionColumn(
    projectId,
    filter,
    "traceName",
    opts,
  );
  return rows.map((row) => ({ traceName: row.value, count: row.count }));
};

export const getEventsGroupedByTraceTags = async (
  projectId: string,
  filter: FilterState,
  opts?: GroupedEventsFilterOptions,
) => {
  const rows = await getSingleEventsFilterOptionColumn(
    projectId,
    filter,
    "traceTags",
    opts,
  );
  return rows.map((row) => ({ tag: row.value }));
};

export const getEventsGroupedByUserId = async (
  projectId: string,
  filter: FilterState,
  opts?: GroupedEventsFilterOptions,
) => {
  const rows = await getSingleEventsFilterOptionColumn(
    projectId,
    filter,
    "userId",
    opts,
  );
  return rows.map((row) => ({ userId: row.value, count: row.count }));
};

// Unsampled: a sampled max() under-reports, hiding real outliers from MCP agents.
export const getEventsNumericStatsByFilterColumn = async (
  projectId: string,
  filter: FilterState,
  columnId: Exclude<
    NumericEventsTableColumnId,
    "inputTokens" | "outputTokens" | "inputCost" | "outputCost"
  >,
) => {
  const column = eventsTableCols.find((col) => col.id === columnId);

  if (!column || column.type !== "number") {
    throw new Error(`Column ${columnId} is not supported for numeric stats`);
  }

  const eventsFilter = new FilterList(
    createFilterFromFilterState(
      filter,
      eventsTableUiColumnDefinitions,
      eventsTableCols,
    ),
  );

  const valueExpression = column.internal;
  const appliedEventsFilter = eventsFilter.apply();

  const queryBuilder = new EventsAggQueryBuilder({
    projectId,
    groupByColumn: "tuple()",
    selectExpression: `min(${valueExpression}) as min, max(${valueExpression}) as max, avg(${valueExpression}) as avg, count(${valueExpression}) as count`,
  })
    .where(appliedEventsFilter)
    .whereRaw(`isNotNull(${valueExpression})`);

  const { query, params } = queryBuilder.buildWithParams();

  const res = await queryClickhouse<{
    min: number | null;
    max: number | null;
    avg: number | null;
    count: number;
  }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });
  const range = res[0];

  if (
    !range ||
    range.min === null ||
    range.max === null ||
    range.avg === null
  ) {
    return null;
  }

  return range;
};

export const getEventsGroupedByExperimentDatasetId = async (
  projectId: string,
  filter: FilterState,
) => {
  const rows = await getSingleEventsFilterOptionColumn(
    projectId,
    filter,
    "experimentDatasetId",
  );
  return rows.map((row) => ({
    experimentDatasetId: row.value,
    count: row.count,
  }));
};

/**
 * Delete events by trace IDs
 * Used when traces are deleted to cascade the deletion to the events table
 */
export const deleteEventsByTraceIds = async (
  projectId: string,
  traceIds: string[],
) => {
  // Preflight query uses events_core (faster)
  const preflight = await queryClickhouse<{
    min_ts: string;
    max_ts: string;
    cnt: string;
  }>({
    query: `
      SELECT
        min(start_time) - INTERVAL 1 HOUR as min_ts,
        max(start_time) + INTERVAL 1 HOUR as max_ts,
        count(*) as cnt
      FROM events_core
      WHERE project_id = {projectId: String} AND trace_id IN ({traceIds: Array(String)})
    `,
    params: { projectId, traceIds },
    clickhouseConfigs: {
      request_timeout: env.LANGFUSE_CLICKHOUSE_DELETION_TIMEOUT_MS,
    },
    tags: { projectId },
  });

  const count = Number(preflight[0]?.cnt ?? 0);
  if (count === 0) {
    logger.info(
      `deleteEventsByTraceIds: no rows found for project ${projectId}, skipping DELETE`,
    );
    return;
  }

  const deleteParams = {
    projectId,
    traceIds,
    minTs: preflight[0].min_ts,
    maxTs: preflight[0].max_ts,
  };
  const deleteQuery = (table: string) => `
    DELETE FROM ${table}
    WHERE project_id = {projectId: String}
    AND trace_id IN ({traceIds: Array(String)})
    AND start_time >= {minTs: String}::DateTime64(3)
    AND start_time <= {maxTs: String}::DateTime64(3)
  `;
  const deleteOpts = (table: string) => ({
    query: deleteQuery(table),
    params: deleteParams,
    clickhouseConfigs: {
      request_timeout: env.LANGFUSE_CLICKHOUSE_DELETION_TIMEOUT_MS,
    },
    tags: { projectId },
  });

  // Delete from all tables in parallel
  await Promise.all([
    commandClickhouse(deleteOpts("events_full")),
    commandClickhouse(deleteOpts("events_core")),
  ]);
};

/**
 * This method is used by deleteEventsByProjectId and therefore
 * should NOT be using EventsReadOnly to prevent lagging replicas
 * from changing the outcome.
 */
export const hasAnyEvent = async (projectId: string) => {
  const query = `
    SELECT 1
    FROM events_core
    WHERE project_id = {projectId: String}
    LIMIT 1
  `;

  const rows = await queryClickhouse<{ 1: number }>({
    query,
    params: { projectId },
    tags: { projectId },
  });

  return rows.length > 0;
};

/**
 * Delete all events for a project
 * Used when an entire project is deleted
 */
export const deleteEventsByProjectId = async (
  projectId: string,
): Promise<boolean> => {
  const hasData = await hasAnyEvent(projectId);
  if (!hasData) {
    return false;
  }

  // Delete from both tables in parallel
  const deleteOpts = (table: string) => ({
    query: `DELETE FROM ${table} WHERE project_id = {projectId: String}`,
    params: { projectId },
    clickhouseConfigs: {
      request_timeout: env.LANGFUSE_CLICKHOUSE_DELETION_TIMEOUT_MS,
    },
    tags: { projectId },
    clickhouseSettings: { send_logs_level: "trace" as const },
  });

  await Promise.all([
    commandClickhouse(deleteOpts("events_full")),
    commandClickhouse(deleteOpts("events_core")),
  ]);

  return true;
};

export async function getAgentGraphDataFromEventsTable(params: {
  projectId: string;
  traceId: string;
  chMinStartTime: string;
  chMaxStartTime: string;
}) {
  const { projectId, traceId, chMinStartTime, chMaxStartTime } = params;

  const query = `
    SELECT
      e.span_id as id,
      e.parent_span_id as parent_observation_id,
      e.type as type,
      e.name as name,
      e.start_time as start_time,
      e.end_time as end_time,
      mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(e.metadata_values))['langgraph_node'] AS node,
      mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(e.metadata_values))['langgraph_step'] AS step
    FROM events_core e
    WHERE
      e.project_id = {projectId: String}
      AND e.trace_id = {traceId: String}
      AND e.start_time >= {chMinStartTime: DateTime64(3)}
      AND e.start_time <= {chMaxStartTime: DateTime64(3)}
  `;

  return queryClickhouse({
    query,
    params: { projectId, traceId, chMinStartTime, chMaxStartTime },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });
}

/**
 * This method is used by deleteEventsByProjectId and therefore
 * should NOT be using EventsReadOnly to prevent lagging replicas
 * from changing the outcome.
 */
export const hasAnyEventOlderThan = async (
  projectId: string,
  beforeDate: Date,
) => {
  const query = `
    SELECT 1
    FROM events_core
    WHERE project_id = {projectId: String}
    AND start_time < {cutoffDate: DateTime64(3)}
    LIMIT 1
  `;

  const rows = await queryClickhouse<{ 1: number }>({
    query,
    params: {
      projectId,
      cutoffDate: convertDateToClickhouseDateTime(beforeDate),
    },
    tags: { projectId },
  });

  return rows.length > 0;
};

/**
 * Delete events older than a cutoff date
 * Used for data retention cleanup
 */
export const deleteEventsOlderThanDays = async (
  projectId: string,
  beforeDate: Date,
): Promise<boolean> => {
  const hasData = await hasAnyEventOlderThan(projectId, beforeDate);
  if (!hasData) {
    return false;
  }

  const deleteOpts = (table: string) => ({
    query: `
      DELETE FROM ${table}
      WHERE project_id = {projectId: String}
      AND start_time < {cutoffDate: DateTime64(3)}
    `,
    params: {
      projectId,
      cutoffDate: convertDateToClickhouseDateTime(beforeDate),
    },
    clickhouseConfigs: {
      request_timeout: env.LANGFUSE_CLICKHOUSE_DELETION_TIMEOUT_MS,
    },
    tags: { projectId },
  });

  await Promise.all([
    commandClickhouse(deleteOpts("events_full")),
    commandClickhouse(deleteOpts("events_core")),
  ]);

  return true;
};

export const getObservationsBatchIOFromEventsTable = async <
  TIncludeExperiment extends boolean = false,
  TIncludeToolCalls extends boolean = false,
>(opts: {
  projectId: string;
  observations: Array<{
    id: string;
    traceId: string;
  }>;
  minStartTime: Date;
  maxStartTime: Date;
  truncated?: boolean; // Default true for performance, false for full data
  /**
   * Chars of I/O and of each metadata value to ship on a full read. Lets a
   * caller that needs more than events_core's pre-truncated I/O still bound
   * the payload. Ignored for truncated reads (events_core caps far tighter).
   */
  ioCharLimit?: number;
  includeExperimentFields?: TIncludeExperiment;
  /** Opt-in: tool-call arrays can be large; only eval consumers need them. */
  includeToolCallFields?: TIncludeToolCalls;
}): Promise<
  Array<EventBatchIOResult<TIncludeExperiment, TIncludeToolCalls>>
> => {
  if (opts.observations.length === 0) {
    return [];
  }

  const truncated = opts.truncated ?? true;
  // Interpolated into SQL, so coerce to a positive integer here rather than
  // trusting the caller's number.
  const fullReadCharLimit =
    !truncated && opts.ioCharLimit !== undefined
      ? Math.max(1, Math.trunc(opts.ioCharLimit))
      : undefined;

  // Extract IDs and trace IDs for filtering
  const observationIds = opts.observations.map((o) => o.id);
  const traceIds = [...new Set(opts.observations.map((o) => o.traceId))];

  // Use provided timestamp range with buffer for efficient filtering
  const minTimestamp = new Date(opts.minStartTime.getTime() - 1000); // -1 second buffer
  const maxTimestamp = new Date(opts.maxStartTime.getTime() + 1000); // +1 second buffer

  // Use events_core for truncated reads (lightweight), events_full for full I/O
  const tableName = truncated ? "events_core" : "events_full";
  const charLimit = truncated
    ? env.LANGFUSE_SERVER_SIDE_IO_CHAR_LIMIT
    : fullReadCharLimit;
  const inputSelect = charLimit
    ? `leftUTF8(e.input, ${charLimit}) as input`
    : `e.input as input`;
  const outputSelect = charLimit
    ? `leftUTF8(e.output, ${charLimit}) as output`
    : `e.output as output`;
  // events_core already stores these pre-truncated, so only a full read needs
  // capping — an explicit limit has to bound every large field, not just I/O.
  const capOnFullRead = (expr: string) =>
    fullReadCharLimit ? `leftUTF8(${expr}, ${fullReadCharLimit})` : expr;
  const capEachOnFullRead = (expr: string) =>
    fullReadCharLimit
      ? `arrayMap(v -> leftUTF8(v, ${fullReadCharLimit}), ${expr})`
      : expr;
  const metadataValues = capEachOnFullRead("e.metadata_values");
  const experimentFieldsSelect = opts.includeExperimentFields
    ? `
      ${capOnFullRead("e.experiment_item_expected_output")} as experiment_item_expected_output,
      mapFromArrays(arrayReverse(e.experiment_item_metadata_names), arrayReverse(${capEachOnFullRead("e.experiment_item_metadata_values")})) as experiment_item_metadata,
    `
    : "";
  const toolCallFieldsSelect = opts.includeToolCallFields
    ? `
      e.tool_calls as tool_calls,
      e.tool_call_names as tool_call_names,
    `
    : "";

  const query = `
    SELECT
      e.span_id as id,
      ${inputSelect},
      ${outputSelect},
      ${experimentFieldsSelect}
      ${toolCallFieldsSelect}
      mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(${metadataValues})) as metadata
    FROM ${tableName} e
    WHERE e.project_id = {projectId: String}
      AND e.span_id IN {observationIds: Array(String)}
      AND e.trace_id IN {traceIds: Array(String)}
      AND e.start_time >= {minTimestamp: DateTime64(3)}
      AND e.start_time <= {maxTimestamp: DateTime64(3)}
  `;

  const results = await queryClickhouse<{
    id: string;
    input: string | null;
    output: string | null;
    metadata: Record<string, string>;
    tool_calls?: string[];
    tool_call_names?: string[];
    experiment_item_expected_output?: string | null;
    experiment_item_metadata?: Record<string, string>;
  }>({
    query,
    params: {
      projectId: opts.projectId,
      observationIds,
      traceIds,
      minTimestamp: convertDateToClickhouseDateTime(minTimestamp),
      maxTimestamp: convertDateToClickhouseDateTime(maxTimestamp),
    },
    tags: { projectId: opts.projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return results.map((r) => ({
    id: r.id,
    input: applyBatchIOStringRendering(r.input),
    output: applyBatchIOStringRendering(r.output),
    metadata:
      r.metadata !== undefined ? parseMetadataCHRecordToDomain(r.metadata) : {},
    ...(opts.includeToolCallFields
      ? {
          toolCalls: r.tool_calls ?? [],
          toolCallNames: r.tool_call_names ?? [],
        }
      : {}),
    ...(opts.includeExperimentFields
      ? {
          experimentItemExpectedOutput: r.experiment_item_expected_output,
          experimentItemMetadata:
            r.experiment_item_metadata !== undefined
              ? parseMetadataCHRecordToDomain(r.experiment_item_metadata)
              : {},
        }
      : {}),
  })) as Array<EventBatchIOResult<TIncludeExperiment, TIncludeToolCalls>>;
};

/**
 * The single observation IO fields the stream/length helpers below can serve.
 * `input`/`output` are raw `String` columns streamed as-is — note they may be a
 * bare, unquoted string (not JSON) for plain-text prompts/completions, so the
 * route serves them as opaque bytes, not `application/json`. `metadata` is
 * reconstructed from the `metadata_names`/`metadata_values` `Map(String,String)`
 * columns, so **every metadata value is emitted JSON-string-encoded** (a nested
 * object comes out as an escaped string). Consumers must unwrap one level, exactly
 * as the existing metadata read path does (`parseMetadataCHRecordToDomain`).
 */
export const OBSERVATION_IO_STREAM_FIELDS = [
  "input",
  "output",
  "metadata",
] as const;

export type ObservationIoStreamField =
  (typeof OBSERVATION_IO_STREAM_FIELDS)[number];

// Closed set of SQL expressions keyed by the validated `field` enum — never
// string-interpolated user input. The length pre-query and the byte stream share
// this map + the WHERE/params below so they can never drift; a mismatch would
// make the route's Content-Length integrity check wrong.
const OBSERVATION_IO_FIELD_SELECT: Record<ObservationIoStreamField, string> = {
  input: "e.input",
  output: "e.output",
  metadata:
    "toJSONString(mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(e.metadata_values)))",
};

// The ±1s window around `startTime` only prunes the primary key
// (project_id, toStartOfMinute(start_time), xxHash32(trace_id)); it is a
// performance hint, never an authorization control.
const OBSERVATION_IO_WHERE = `
    WHERE e.project_id = {projectId: String}
      AND e.trace_id = {traceId: String}
      AND e.span_id = {observationId: String}
      AND e.start_time >= {minTimestamp: DateTime64(3)}
      AND e.start_time <= {maxTimestamp: DateTime64(3)}`;

interface ObservationIOReadOpts {
  projectId: string;
  traceId: string;
  observationId: string;
  field: ObservationIoStreamField;
  /** The observation's startTime; bounds the read for primary-key pruning. */
  startTime: Date;
}

function observationIOReadParams(opts: ObservationIOReadOpts) {
  return {
    projectId: opts.projectId,
    traceId: opts.traceId,
    observationId: opts.observationId,
    minTimestamp: convertDateToClickhouseDateTime(
      new Date(opts.startTime.getTime() - 1000),
    ),
    maxTimestamp: convertDateToClickhouseDateTime(
      new Date(opts.startTime.getTime() + 1000),
    ),
  };
}

/**
 * Byte length of one observation IO field — a cheap pre-query the streaming
 * route runs BEFORE committing headers. It does two jobs the raw stream can't:
 *  - distinguishes "not found" (no row → `null` → the route 404s) from "present
 *    but empty" (row with 0 → empty 200), so a stale/skewed `startTime` yields a
 *    diagnosable 404 rather than a misleading empty body; and
 *  - gives the exact byte count for a `Content-Length` header, so a mid-stream
 *    ClickHouse failure (truncated body) is detectable at the HTTP layer on ANY
 *    ClickHouse version — independent of the `x-clickhouse-exception-tag` header
 *    that raw-passthrough failure detection needs (≥25.11 only).
 * Uses the SAME field expression + WHERE as the stream, so the length matches the
 * bytes streamed. `length()` on a ClickHouse `String` is its byte count.
 */
export const getObservationIOFieldByteLengthFromEventsTable = async (
  opts: ObservationIOReadOpts,
): Promise<number | null> => {
  const query = `
    SELECT length(${OBSERVATION_IO_FIELD_SELECT[opts.field]}) AS len
    FROM events_full e
    ${OBSERVATION_IO_WHERE}
    ORDER BY e.event_ts DESC
    LIMIT 1
  `;
  const rows = await queryClickhouse<{ len: string }>({
    query,
    params: observationIOReadParams(opts),
    tags: { projectId: opts.projectId, route: "observation-io-stream-length" },
    preferredClickhouseService: "EventsReadOnly",
  });
  const first = rows[0];
  return first ? Number(first.len) : null;
};

/**
 * Stream ONE observation's single IO field (input | output | metadata) straight
 * from ClickHouse to the caller as raw bytes, WITHOUT materializing the whole
 * value in the Node process. Uses `FORMAT RawBLOB`, so ClickHouse emits exactly
 * the field's bytes (no JSONEachRow envelope) and {@link queryClickhouseExecRaw}
 * hands back the live HTTP body as a `Readable` for the caller to pipe onward.
 * This is the transport primitive behind the lazy/streaming large-JSON viewer
 * (LFE-11081): the browser can fetch a multi-hundred-MB field as a byte stream
 * instead of forcing the server to buffer + JSON-serialize it in one shot.
 *
 * SECURITY: strictly tenant-scoped. The read is pinned to a single
 * (project_id, trace_id, span_id) via parameterized predicates, so it can only
 * ever return bytes for that one observation inside that one project — a wrong
 * projectId yields zero rows (zero bytes). `field` is NOT interpolated user
 * input: it selects from a fixed, closed set of SQL expressions. Callers MUST
 * still authorize the (projectId, traceId) pair before calling — this function
 * performs data isolation, not request authorization.
 */
export const streamObservationIOFieldFromEventsTable = (
  opts: ObservationIOReadOpts,
) => {
  const query = `
    SELECT ${OBSERVATION_IO_FIELD_SELECT[opts.field]} AS field
    FROM events_full e
    ${OBSERVATION_IO_WHERE}
    ORDER BY e.event_ts DESC
    LIMIT 1
  `;

  // FORMAT RawBLOB emits the selected String column's bytes with no escaping or
  // delimiters; with LIMIT 1 that is exactly this observation's field value.
  return queryClickhouseExecRaw({
    query,
    format: "RawBLOB",
    params: observationIOReadParams(opts),
    tags: {
      projectId: opts.projectId,
      route: "observation-io-stream",
    },
    preferredClickhouseService: "EventsReadOnly",
  });
};

/**
 * Full raw I/O + metadata for ONE observation, scoped to a session (the
 * session-detail download fallback for payloads too large to render inline,
 * LFE-10958). Callers are session-authorized (public sessions included), so
 * the session_id predicate is part of the authorization: the query itself
 * guarantees the observation belongs to that session — never widen it.
 */
export const getObservationFullIOForSessionFromEventsTable = async (opts: {
  projectId: string;
  sessionId: string;
  traceId: string;
  observationId: string;
  /** The observation's startTime; bounds the read for primary-key pruning. */
  startTime: Date;
}): Promise<{
  id: string;
  input: string | null;
  output: string | null;
  metadata: MetadataDomain;
} | null> => {
  // ±1s around start_time prunes on the primary key
  // (project_id, toStartOfMinute(start_time), xxHash32(trace_id)).
  const minTimestamp = new Date(opts.startTime.getTime() - 1000);
  const maxTimestamp = new Date(opts.startTime.getTime() + 1000);

  const query = `
    SELECT
      e.span_id as id,
      e.input as input,
      e.output as output,
      mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(e.metadata_values)) as metadata
    FROM events_full e
    WHERE e.project_id = {projectId: String}
      AND e.session_id = {sessionId: String}
      AND xxHash32(e.trace_id) = xxHash32({traceId: String})
      AND e.trace_id = {traceId: String}
      AND e.span_id = {observationId: String}
      AND e.start_time >= {minTimestamp: DateTime64(3)}
      AND e.start_time <= {maxTimestamp: DateTime64(3)}
    ORDER BY e.event_ts DESC
    LIMIT 1
  `;

  const rows = await queryClickhouse<{
    id: string;
    input: string | null;
    output: string | null;
    metadata: Record<string, string>;
  }>({
    query,
    params: {
      projectId: opts.projectId,
      sessionId: opts.sessionId,
      traceId: opts.traceId,
      observationId: opts.observationId,
      minTimestamp: convertDateToClickhouseDateTime(minTimestamp),
      maxTimestamp: convertDateToClickhouseDateTime(maxTimestamp),
    },
    tags: { projectId: opts.projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  const row = rows[0];
  if (!row) return null;

  return {
    id: row.id,
    input: applyBatchIOStringRendering(row.input),
    output: applyBatchIOStringRendering(row.output),
    metadata:
      row.metadata !== undefined
        ? parseMetadataCHRecordToDomain(row.metadata)
        : {},
  };
};

/**
 * Discouraged: Avoid using this function for new code.
 *
 * This function exists solely to support the annotation queue items lookup,
 * which needs to resolve parent trace IDs for observation-type queue items.
 * It is problematic for performance as it lacks time filtering, requiring
 * ClickHouse to scan a broad range of data.
 * We aim to refactor the annotation queue data model to eliminate this
 * dependency in a future iteration.
 */
export const getObservationsTraceIdsFromEventsTable = async (opts: {
  projectId: string;
  observationIds: string[];
}) => {
  const { projectId, observationIds } = opts;

  const queryBuilder = new EventsQueryBuilder({ projectId })
    .selectRaw("e.trace_id AS trace_id", "e.span_id AS span_id")
    .whereRaw("e.span_id IN {observationIds: Array(String)}", {
      observationIds,
    });

  const { query, params: queryParams } = queryBuilder.buildWithParams();

  const result = await queryClickhouse<{
    trace_id: string;
    span_id: string;
  }>({
    query,
    params: queryParams,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return result.map((row) => ({
    id: row.span_id,
    traceId: row.trace_id,
  }));
};

/**
 * Column mappings for user queries from events table.
 * Includes a "Timestamp" mapping that points to start_time for compatibility
 * with the Users page filter state (which uses "Timestamp" from traces table).
 */
const usersFromEventsTableColumnDefinitions: UiColumnMappings = [
  ...eventsTableUiColumnDefinitions,
  {
    uiTableName: "Timestamp",
    uiTableId: "timestamp",
    clickhouseTableName: "events_proto",
    clickhouseSelect: 'e."start_time"',
  },
];

/**
 * Get users with trace counts from events table with pagination
 * Similar to getTracesGroupedByUsers but queries the events table
 */
export const getUsersFromEventsTable = async (
  projectId: string,
  filter: FilterState,
  searchQuery?: string,
  limit?: number,
  offset?: number,
) => {
  const eventsFilter = new FilterList(
    createFilterFromFilterState(filter, usersFromEventsTableColumnDefinitions),
  );
  const appliedEventsFilter = eventsFilter.apply();

  const queryBuilder = new EventsAggQueryBuilder({
    projectId,
    groupByColumn: "e.user_id",
    selectExpression: "e.user_id as user, uniq(e.trace_id) as count",
  })
    .where(appliedEventsFilter)
    .whereRaw("e.user_id IS NOT NULL AND length(e.user_id) > 0")
    .whereRaw("e.is_deleted = 0")
    .when(Boolean(searchQuery), (b) =>
      b.whereRaw("e.user_id ILIKE {searchQuery: String}", {
        searchQuery: `%${searchQuery}%`,
      }),
    )
    .orderBy("ORDER BY count DESC")
    .limit(limit, offset);

  const { query, params } = queryBuilder.buildWithParams();

  return queryClickhouse<{ user: string; count: string }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });
};

/**
 * Get total user count from events table
 */
export const getUsersCountFromEventsTable = async (
  projectId: string,
  filter: FilterState,
  searchQuery?: string,
): Promise<{ totalCount: string }[]> => {
  const eventsFilter = new FilterList(
    createFilterFromFilterState(filter, usersFromEventsTableColumnDefinitions),
  );
  const appliedEventsFilter = eventsFilter.apply();

  const searchCondition = searchQuery
    ? `AND e.user_id ILIKE {searchQuery: String}`
    : "";

  const query = `
    SELECT uniq(e.user_id) AS totalCount
    FROM events_core e
    WHERE e.project_id = {projectId: String}
    AND e.user_id IS NOT NULL
    AND e.user_id != ''
    AND e.is_deleted = 0
    ${appliedEventsFilter.query ? `AND ${appliedEventsFilter.query}` : ""}
    ${searchCondition}
  `;

  return queryClickhouse<{ totalCount: string }>({
    query,
    params: {
      projectId,
      ...appliedEventsFilter.params,
      ...(searchQuery ? { searchQuery: `%${searchQuery}%` } : {}),
    },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });
};

/**
 * Get user metrics from events table
 * Key difference from getUserMetrics in traces.ts:
 * - Uses min(e.start_time)/max(e.start_time) for first/last event (all observations)
 * - Legacy uses min(t.timestamp)/max(t.timestamp) (only trace timestamps)
 */
export const getUserMetricsFromEventsTable = async (
  projectId: string,
  userIds: string[],
  filter: FilterState,
) => {
  if (userIds.length === 0) {
    return [];
  }

  const eventsFilter = new FilterList(
    createFilterFromFilterState(filter, usersFromEventsTableColumnDefinitions),
  );
  const appliedEventsFilter = eventsFilter.apply();

  const statsBuilder = new EventsAggQueryBuilder({
    projectId,
    groupByColumn: "e.user_id",
    selectExpression: `
      e.user_id as user_id,
      anyLast(e.environment) as environment,
      count(DISTINCT e.span_id) as obs_count,
      count(DISTINCT e.trace_id) as trace_count,
      sumMap(e.usage_details) as sum_usage_details,
      sum(e.total_cost) as sum_total_cost,
      min(e.start_time) as min_timestamp,
      max(e.start_time) as max_timestamp
    `,
  })
    .whereRaw("e.user_id IN ({userIds: Array(String)})", { userIds })
    // not required if called from tRPC (user_id is always defined), left in for safety only
    .whereRaw("e.user_id IS NOT NULL AND length(e.user_id) > 0")
    .whereRaw("e.is_deleted = 0")
    .where(appliedEventsFilter);

  const { query: statsQuery, params: statsParams } =
    statsBuilder.buildWithParams();

  const query = `
    WITH stats AS (${statsQuery})
    SELECT
      user_id,
      environment,
      obs_count,
      trace_count,
      sum_total_cost,
      min_timestamp,
      max_timestamp,
      arraySum(mapValues(mapFilter(x -> positionCaseInsensitive(x.1, 'input') > 0, sum_usage_details))) as input_usage,
      arraySum(mapValues(mapFilter(x -> positionCaseInsensitive(x.1, 'output') > 0, sum_usage_details))) as output_usage,
      sum_usage_details['total'] as total_usage
    FROM stats
  `;

  const rows = await queryClickhouse<{
    user_id: string;
    environment: string;
    max_timestamp: string;
    min_timestamp: string;
    input_usage: string;
    output_usage: string;
    total_usage: string;
    obs_count: string;
    trace_count: string;
    sum_total_cost: string;
  }>({
    query,
    params: statsParams,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    userId: row.user_id,
    environment: row.environment,
    maxTimestamp: parseClickhouseUTCDateTimeFormat(row.max_timestamp),
    minTimestamp: parseClickhouseUTCDateTimeFormat(row.min_timestamp),
    inputUsage: Number(row.input_usage),
    outputUsage: Number(row.output_usage),
    totalUsage: Number(row.total_usage),
    observationCount: Number(row.obs_count),
    traceCount: Number(row.trace_count),
    totalCost: Number(row.sum_total_cost),
  }));
};

/**
 * Check if any user exists in events table
 * Uses hasAnyEvent pattern but filters for user_id
 */
export const hasAnyUserFromEventsTable = async (
  projectId: string,
): Promise<boolean> => {
  // Filter out deleted rows
  const query = `
    SELECT 1
    FROM events_core
    WHERE project_id = {projectId: String}
    AND user_id IS NOT NULL
    AND user_id != ''
    AND is_deleted = 0
    LIMIT 1
  `;

  const rows = await queryClickhouse<{ 1: number }>({
    query,
    params: { projectId },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.length > 0;
};

/**
 * Streams events from ClickHouse for blob storage export.
 * Uses EventsQueryBuilder for consistent query construction.
 */
// metrics field set emits latency / time_to_first_token in MILLISECONDS. The
// raw-passthrough path (LFE-10402) cannot convert ms→s in JS, so when requested
// it selects the seconds-converted expressions directly in SQL instead. The
// standard path keeps ms here and converts conditionally in JS, so it stays
// byte-for-byte unchanged.
const EVENTS_EXPORT_METRICS_SECONDS_SQL = [
  "if(isNull(e.end_time), NULL, date_diff('millisecond', e.start_time, e.end_time) / 1000) as latency",
  "if(isNull(e.completion_start_time), NULL, date_diff('millisecond', e.start_time, e.completion_start_time) / 1000) as \"time_to_first_token\"",
];

// Shared SQL+params builder for the events blob-export. `convertLatencyToSecondsInSql`
// is only set by the raw-passthrough path; the standard path leaves it false so
// its output is identical to today.
const buildEventsForBlobStorageExportQuery = (
  projectId: string,
  minTimestamp: Date,
  maxTimestamp: Date,
  fieldGroups: ObservationFieldGroupFull[],
  convertLatencyToSecondsInSql: boolean,
) => {
  const queryBuilder = new EventsQueryBuilder({ projectId });

  // core is always required (provides id, trace_id, start/end_time used for cursor and deduplication)
  const effectiveGroups = fieldGroups.includes("core")
    ? fieldGroups
    : (["core", ...fieldGroups] as ObservationFieldGroupFull[]);

  for (const group of effectiveGroups) {
    if (group === "io") {
      queryBuilder.selectIO(false); // Full I/O, no truncation
    } else if (group === "model") {
      queryBuilder.selectFieldSet("model_export"); // "model_export" is the SQL field set name for the "model" group
    } else if (group === "metrics" && convertLatencyToSecondsInSql) {
      queryBuilder.selectRaw(...EVENTS_EXPORT_METRICS_SECONDS_SQL);
    } else {
      queryBuilder.selectFieldSet(group);
    }
  }

  queryBuilder
    .whereRaw(
      "e.start_time >= {minTimestamp: DateTime64(3)} AND e.start_time <= {maxTimestamp: DateTime64(3)}",
      {
        minTimestamp: convertDateToClickhouseDateTime(minTimestamp),
        maxTimestamp: convertDateToClickhouseDateTime(maxTimestamp),
      },
    )
    .whereRaw("e.is_deleted = 0")
    .limitBy("e.span_id", "e.project_id");

  const { query, params } = queryBuilder.buildWithParams();

  return {
    query,
    params,
    // Tagged explicitly: worker baggage isn't active during the deferred stream send.
    tags: { projectId, surface: "worker", route: "blob_export" },
    clickhouseConfigs: {
      request_timeout: env.LANGFUSE_CLICKHOUSE_DATA_EXPORT_REQUEST_TIMEOUT_MS,
    },
    preferredClickhouseService: "EventsReadOnly" as const,
  };
};

export const getEventsForBlobStorageExport = function (
  projectId: string,
  minTimestamp: Date,
  maxTimestamp: Date,
  fieldGroups: ObservationFieldGroupFull[] = [...OBSERVATION_FIELD_GROUPS_FULL],
) {
  return queryClickhouseStream<Record<string, unknown>>(
    buildEventsForBlobStorageExportQuery(
      projectId,
      minTimestamp,
      maxTimestamp,
      fieldGroups,
      false, // standard path converts latency ms→s in JS
    ),
  );
};

// Raw-passthrough variant (LFE-10402): yields each row's unparsed JSONEachRow
// text, skipping the per-row parse/enrich/serialize cycle. When
// `convertLatencyToSeconds` is set, latency/ttft are divided by 1000 in SQL
// (matching what the JS path would have done); otherwise they stay in ms (legacy
// integrations). Price columns are NOT added.
export const getEventsForBlobStorageExportRaw = function (
  projectId: string,
  minTimestamp: Date,
  maxTimestamp: Date,
  fieldGroups: ObservationFieldGroupFull[] = [...OBSERVATION_FIELD_GROUPS_FULL],
  convertLatencyToSeconds = false,
) {
  return queryClickhouseStreamRawText(
    buildEventsForBlobStorageExportQuery(
      projectId,
      minTimestamp,
      maxTimestamp,
      fieldGroups,
      convertLatencyToSeconds,
    ),
  );
};

// LFE-10463: FORMAT Parquet export — reuses the field-group-aware builder and
// streams raw binary bytes to upload. No JS enrichment, so latency ms→s must run
// in SQL (`convertLatencyToSeconds`) and price columns are NOT added.
export const getEventsForBlobStorageExportParquet = function (
  projectId: string,
  minTimestamp: Date,
  maxTimestamp: Date,
  fieldGroups: ObservationFieldGroupFull[] = [...OBSERVATION_FIELD_GROUPS_FULL],
  convertLatencyToSeconds = false,
) {
  return queryClickhouseExecRaw({
    ...buildEventsForBlobStorageExportQuery(
      projectId,
      minTimestamp,
      maxTimestamp,
      fieldGroups,
      convertLatencyToSeconds,
    ),
    format: "Parquet",
    clickhouseSettings: BLOB_EXPORT_PARQUET_CLICKHOUSE_SETTINGS,
  });
};

/**
 * Streams events from ClickHouse for analytics integrations (PostHog, Mixpanel).
 * Uses EventsQueryBuilder for consistent query construction.
 * All fields come directly from the events table (which has denormalized trace-level data).
 */
export const getEventsForAnalyticsIntegrations = async function* (
  projectId: string,
  projectName: string,
  minTimestamp: Date,
  maxTimestamp: Date,
) {
  const queryBuilder = new EventsQueryBuilder({ projectId })
    // Use export field set for most fields (id, traceId, name, type, level, version,
    // environment, userId, sessionId, tags, release, traceName, totalCost, latency, etc.)
    .selectFieldSet("export")
    // Add analytics-specific computed fields
    .selectRaw(
      // Token counts from usage/cost details
      "e.usage_details['input'] as input_tokens",
      "e.usage_details['output'] as output_tokens",
      "e.usage_details['total'] as total_tokens",
      // Analytics integration session IDs from metadata (constructed from array columns)
      "mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(e.metadata_values))['$posthog_session_id'] as posthog_session_id",
      "mapFromArrays(arrayReverse(e.metadata_names), arrayReverse(e.metadata_values))['$mixpanel_session_id'] as mixpanel_session_id",
    )
    .whereRaw(
      "e.start_time >= {minTimestamp: DateTime64(3)} AND e.start_time < {maxTimestamp: DateTime64(3)}",
      {
        minTimestamp: convertDateToClickhouseDateTime(minTimestamp),
        maxTimestamp: convertDateToClickhouseDateTime(maxTimestamp),
      },
    )
    .whereRaw("e.is_deleted = 0")
    .limitBy("e.span_id", "e.project_id");

  const { query, params } = queryBuilder.buildWithParams();

  const records = queryClickhouseStream<Record<string, unknown>>({
    query,
    params,
    // Tagged explicitly: worker baggage isn't active during the deferred stream send.
    tags: { projectId, surface: "worker", route: "analytics_integration" },
    clickhouseConfigs: {
      request_timeout: env.LANGFUSE_CLICKHOUSE_DATA_EXPORT_REQUEST_TIMEOUT_MS,
    },
    preferredClickhouseService: "EventsReadOnly",
  });

  const baseUrl = env.NEXTAUTH_URL?.replace("/api/auth", "");
  for await (const record of records) {
    yield {
      timestamp: record.start_time,
      langfuse_observation_name: record.name,
      // The row type here is Record<string, unknown>; the column is a String
      // projection (eventsTableTraceNameSelectSql).
      langfuse_trace_name: normalizeEventsTraceName(
        record.trace_name as string | null | undefined,
      ),
      langfuse_trace_id: record.trace_id,
      langfuse_url: `${baseUrl}/project/${projectId}/traces/${encodeURIComponent(record.trace_id as string)}?observation=${encodeURIComponent(record.id as string)}`,
      langfuse_user_url: record.user_id
        ? `${baseUrl}/project/${projectId}/users/${encodeURIComponent(record.user_id as string)}`
        : undefined,
      langfuse_id: record.id,
      langfuse_cost_usd: record.total_cost,
      langfuse_input_units: record.input_tokens,
      langfuse_output_units: record.output_tokens,
      langfuse_total_units: record.total_tokens,
      langfuse_session_id: record.session_id,
      langfuse_project_id: projectId,
      langfuse_project_name: projectName,
      langfuse_user_id: record.user_id || null,
      langfuse_latency: record.latency,
      langfuse_time_to_first_token: record.time_to_first_token,
      langfuse_release: record.release,
      langfuse_version: record.version,
      langfuse_model: record.provided_model_name,
      langfuse_level: record.level,
      langfuse_type: record.type,
      langfuse_tags: record.tags,
      langfuse_environment: record.environment,
      langfuse_event_version: "1.0.0",
      posthog_session_id: record.posthog_session_id ?? null,
      mixpanel_session_id: record.mixpanel_session_id ?? null,
    } satisfies AnalyticsObservationEvent;
  }
};

/*
 * Check if any session exists in events table
 * Filters for non-empty session_id
 */
export const hasAnySessionFromEventsTable = async (
  projectId: string,
): Promise<boolean> => {
  const query = `
    SELECT 1
    FROM events_core
    WHERE project_id = {projectId: String}
    AND session_id IS NOT NULL
    AND session_id != ''
    AND is_deleted = 0
    LIMIT 1
  `;

  const rows = await queryClickhouse<{ 1: number }>({
    query,
    params: { projectId },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.length > 0;
};

/**
 * Fetch trace metadata (name, user_id, tags) for a list of trace IDs.
 * Used by the scores table to enrich score rows with trace-level data.
 */
export const getTraceMetadataByIdsFromEvents = async (props: {
  projectId: string;
  traceIds: string[];
  clickhouseConfigs?: ClickHouseClientConfigOptions;
}) => {
  if (props.traceIds.length === 0) return [];

  const builder = eventsTraceMetadata(props.projectId).whereRaw(
    "e.trace_id IN ({traceIds: Array(String)})",
    { traceIds: props.traceIds },
  );

  const { query, params } = builder.buildWithParams();

  return queryClickhouse<{
    id: string;
    name: string;
    user_id: string;
    tags: string[];
  }>({
    query,
    params,
    tags: { projectId: props.projectId },
    clickhouseConfigs: props.clickhouseConfigs,
    preferredClickhouseService: "EventsReadOnly",
  });
};

const eventMetadataValue = (key: EvalExecutionMetadataKeyType) =>
  `arrayElement(e.metadata_values, indexOf(e.metadata_names, '${key}'))`;

/**
 * Value of the first key that is present, so callers can read a renamed
 * metadata key while executions written before the rename still resolve.
 */
const eventMetadataValueWithFallback = (
  keys: readonly EvalExecutionMetadataKeyType[],
) =>
  keys
    .slice(0, -1)
    .reduceRight(
      (fallback, key) =>
        `if(notEmpty(${eventMetadataValue(key)}), ${eventMetadataValue(key)}, ${fallback})`,
      eventMetadataValue(keys[keys.length - 1]!),
    );

const hasAnyEventMetadataKey = (
  keys: readonly EvalExecutionMetadataKeyType[],
) => keys.map((key) => `has(e.metadata_names, '${key}')`).join(" OR ");

const evaluatorTestEventCondition = `(has(e.metadata_names, '${EvalExecutionMetadataKey.EVALUATOR_TEST}') AND ${eventMetadataValue(EvalExecutionMetadataKey.EVALUATOR_TEST)} = 'true') OR startsWith(e.trace_name, 'Test evaluator')`;

const traceCostsByMetadata = (params: {
  projectId: string;
  metadata: Array<{
    keys: readonly EvalExecutionMetadataKeyType[];
    alias: string;
  }>;
  additionalSelect?: string[];
}) =>
  new EventsAggQueryBuilder({
    projectId: params.projectId,
    groupByColumn: "e.trace_id",
    selectExpression: [
      "e.trace_id as trace_id",
      ...params.metadata.map(
        ({ keys, alias }) =>
          `anyIf(${eventMetadataValueWithFallback(keys)}, ${hasAnyEventMetadataKey(keys)}) as ${alias}`,
      ),
      "sum(e.total_cost) as trace_total_cost",
      ...(params.additionalSelect ?? []),
    ].join(", "),
  })
    .whereRaw("e.start_time > now() - INTERVAL 7 DAY")
    .whereRaw("e.is_deleted = 0");

const costMetricFields = {
  avgCost: {
    select: "avg(tc.trace_total_cost) as avg_cost",
    column: "avg_cost",
  },
  totalCost: {
    select: "sum(tc.trace_total_cost) as total_cost",
    column: "total_cost",
  },
  executionCount: {
    select: "count(*) as execution_count",
    column: "execution_count",
  },
} as const;

const getCostMetricsByMetadataIds = async <
  const TFields extends readonly (keyof typeof costMetricFields)[],
>(params: {
  projectId: string;
  metadataIds: string[];
  fields: TFields;
  metadataKeys: readonly Exclude<
    EvalExecutionMetadataKeyType,
    typeof EvalExecutionMetadataKey.EVALUATOR_TEST
  >[];
}) => {
  if (params.metadataIds.length === 0) return [];

  const traceCostsBuilder = traceCostsByMetadata({
    projectId: params.projectId,
    metadata: [{ keys: params.metadataKeys, alias: "metadata_id" }],
    additionalSelect: [
      `countIf(${evaluatorTestEventCondition}) as test_event_count`,
    ],
  })
    .havingRaw("metadata_id IN ({metadataIds: Array(String)})", {
      metadataIds: params.metadataIds,
    })
    .havingRaw("test_event_count = 0");

  const traceCosts = traceCostsBuilder.buildWithParams();
  const queryBuilder = new CTEQueryBuilder()
    .withCTE("trace_costs", {
      ...traceCosts,
      schema: ["trace_id", "metadata_id", "trace_total_cost"] as const,
    })
    .from("trace_costs", "tc")
    .select(
      "tc.metadata_id as metadata_id",
      ...params.fields.map((field) => costMetricFields[field].select),
    )
    .groupBy("tc.metadata_id");

  const { query, params: queryParams } = queryBuilder.buildWithParams();
  const rows = await queryClickhouse<Record<string, string>>({
    query,
    params: queryParams,
    tags: { projectId: params.projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => {
    const metrics = Object.fromEntries(
      params.fields.map((field) => [
        field,
        Number(row[costMetricFields[field].column]),
      ]),
    ) as Record<TFields[number], number>;

    return { metadataId: row.metadata_id, ...metrics };
  });
};

export const getAvgCostByEvaluatorIds = async (
  projectId: string,
  evaluatorIds: string[],
) => {
  const metrics = await getCostMetricsByMetadataIds({
    projectId,
    metadataIds: evaluatorIds,
    fields: ["avgCost", "executionCount"],
    metadataKeys: [EvalExecutionMetadataKey.EVALUATOR_ID],
  });
  return metrics.map(({ metadataId, ...costs }) => ({
    evaluatorId: metadataId,
    ...costs,
  }));
};

export const getTotalCostByRule = async (
  projectId: string,
  ruleIds: string[],
) => {
  const metrics = await getCostMetricsByMetadataIds({
    projectId,
    metadataIds: ruleIds,
    fields: ["totalCost"],
    // Rules replaced job configurations, but executions written before the
    // rename only carry `job_configuration_id`, and the v1 evals UI still
    // reads costs by job-configuration id.
    metadataKeys: [
      EvalExecutionMetadataKey.EVALUATION_RULE_ID,
      EvalExecutionMetadataKey.JOB_CONFIGURATION_ID,
    ],
  });
  return metrics.map(({ metadataId, totalCost }) => ({
    ruleId: metadataId,
    totalCost,
  }));
};

export const getTotalCostByEvaluatorIds = async (
  projectId: string,
  evaluatorIds: string[],
) => {
  const metrics = await getCostMetricsByMetadataIds({
    projectId,
    metadataIds: evaluatorIds,
    fields: ["totalCost"],
    metadataKeys: [EvalExecutionMetadataKey.EVALUATOR_ID],
  });
  return metrics.map(({ metadataId, totalCost }) => ({
    evaluatorId: metadataId,
    totalCost,
  }));
};

// Temporary compatibility path: remove in a few weeks in favor of evaluator_id.
export const getTotalCostByEvaluatorTraceNames = async (
  projectId: string,
  traceNames: string[],
) => {
  if (traceNames.length === 0) return [];

  const traceCostsBuilder = new EventsAggQueryBuilder({
    projectId,
    groupByColumn: "e.trace_id, e.trace_name",
    selectExpression: [
      "e.trace_id as trace_id",
      "e.trace_name as trace_name",
      "sum(e.total_cost) as trace_total_cost",
      `countIf(${evaluatorTestEventCondition}) as test_event_count`,
    ].join(", "),
  })
    .whereRaw("e.start_time > now() - INTERVAL 7 DAY")
    .whereRaw("e.trace_name IN ({traceNames: Array(String)})", { traceNames })
    .havingRaw("test_event_count = 0");

  const traceCosts = traceCostsBuilder.buildWithParams();
  const queryBuilder = new CTEQueryBuilder()
    .withCTE("trace_costs", {
      ...traceCosts,
      schema: ["trace_id", "trace_name", "trace_total_cost"] as const,
    })
    .from("trace_costs", "tc")
    .select(
      "tc.trace_name as trace_name",
      "sum(tc.trace_total_cost) as total_cost",
    )
    .groupBy("tc.trace_name");

  const { query, params } = queryBuilder.buildWithParams();
  const rows = await queryClickhouse<{
    trace_name: string;
    total_cost: string;
  }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    traceName: row.trace_name,
    totalCost: Number(row.total_cost),
  }));
};

/** Returns the latest cost-bearing evaluator trace from the last seven days. */
export const getLatestEvaluatorRunCost = async (
  projectId: string,
  evaluatorId: string,
) => {
  const builder = traceCostsByMetadata({
    projectId,
    metadata: [
      {
        keys: [EvalExecutionMetadataKey.EVALUATOR_ID],
        alias: EvalExecutionMetadataKey.EVALUATOR_ID,
      },
    ],
    additionalSelect: [
      "max(e.start_time) as timestamp",
      "countIf(e.type = 'GENERATION') as generation_count",
    ],
  })
    .havingRaw(
      `${EvalExecutionMetadataKey.EVALUATOR_ID} = {evaluatorId: String}`,
      { evaluatorId },
    )
    .havingRaw("generation_count > 0")
    .orderBy("ORDER BY timestamp DESC, trace_id DESC")
    .limit(1);

  const { query, params } = builder.buildWithParams();
  const rows = await queryClickhouse<{ trace_total_cost: string }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows[0] ? Number(rows[0].trace_total_cost) : null;
};

export const getRecentEvaluatorExecutionTraces = async (
  projectId: string,
  traceNames: string[],
) => {
  if (traceNames.length === 0) return [];

  const builder = new EventsAggQueryBuilder({
    projectId,
    groupByColumn: "e.trace_id, e.trace_name",
    selectExpression: [
      "e.trace_id as id",
      "e.trace_name as trace_name",
      "multiIf(countIf(e.level = 'ERROR') > 0, 'ERROR', countIf(e.level = 'WARNING') > 0, 'WARNING', 'DEFAULT') as level",
      "min(e.start_time) as timestamp",
    ].join(", "),
  })
    .whereRaw("e.start_time > now() - INTERVAL 7 DAY")
    .whereRaw("e.trace_name IN ({traceNames: Array(String)})", {
      traceNames,
    })
    .havingRaw(`countIf(${evaluatorTestEventCondition}) = 0`)
    .orderBy("ORDER BY timestamp DESC, id DESC")
    .limitByCount(5, "trace_name");

  const { query, params } = builder.buildWithParams();
  const rows = await queryClickhouse<{
    id: string;
    trace_name: string;
    level: string;
    timestamp: string;
  }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    id: row.id,
    traceName: row.trace_name,
    level: row.level,
    timestamp: parseClickhouseUTCDateTimeFormat(row.timestamp),
  }));
};

export const getRecentRuleExecutionTraces = async (
  projectId: string,
  ruleIds: string[],
) => {
  if (ruleIds.length === 0) return [];

  const evaluationRuleId = eventMetadataValueWithFallback([
    EvalExecutionMetadataKey.EVALUATION_RULE_ID,
    EvalExecutionMetadataKey.JOB_CONFIGURATION_ID,
  ]);
  const hasEvaluationRuleId = hasAnyEventMetadataKey([
    EvalExecutionMetadataKey.EVALUATION_RULE_ID,
    EvalExecutionMetadataKey.JOB_CONFIGURATION_ID,
  ]);
  const builder = new EventsAggQueryBuilder({
    projectId,
    groupByColumn: `e.trace_id, ${EvalExecutionMetadataKey.EVALUATION_RULE_ID}`,
    selectExpression: [
      "e.trace_id as id",
      `${evaluationRuleId} as ${EvalExecutionMetadataKey.EVALUATION_RULE_ID}`,
      "multiIf(countIf(e.level = 'ERROR') > 0, 'ERROR', countIf(e.level = 'WARNING') > 0, 'WARNING', 'DEFAULT') as level",
      "min(e.start_time) as timestamp",
    ].join(", "),
  })
    .whereRaw("e.start_time > now() - INTERVAL 7 DAY")
    .whereRaw(`(${hasEvaluationRuleId})`)
    .whereRaw(`${evaluationRuleId} IN ({ruleIds: Array(String)})`, { ruleIds })
    .orderBy("ORDER BY timestamp DESC, id DESC")
    .limitByCount(5, EvalExecutionMetadataKey.EVALUATION_RULE_ID);

  const { query, params } = builder.buildWithParams();
  const rows = await queryClickhouse<
    {
      id: string;
      level: string;
      timestamp: string;
    } & Record<typeof EvalExecutionMetadataKey.EVALUATION_RULE_ID, string>
  >({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    id: row.id,
    ruleId: row[EvalExecutionMetadataKey.EVALUATION_RULE_ID],
    level: row.level,
    timestamp: parseClickhouseUTCDateTimeFormat(row.timestamp),
  }));
};

export const getSessionMetricsFromEvents = async (props: {
  projectId: string;
  sessionIds: string[];
  queryFromTimestamp?: Date;
}) => {
  if (props.sessionIds.length === 0) return [];

  const builder = eventsSessionsAggregation({
    projectId: props.projectId,
    sessionIds: props.sessionIds,
    startTimeFrom: props.queryFromTimestamp
      ? convertDateToClickhouseDateTime(props.queryFromTimestamp)
      : undefined,
  }).limit(props.sessionIds.length);

  const { query, params } = builder.buildWithParams();

  const rows = await queryClickhouse<SessionEventsMetricsRow>({
    query,
    params,
    tags: { projectId: props.projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    ...row,
    trace_count: Number(row.trace_count),
    total_observations: Number(row.total_observations),
  }));
};

/**
 * SDK metadata detection result.
 * isOtel is always present, other fields are optional (only when non-empty).
 */
export type SdkMetadata = {
  isOtel: boolean;
  name?: string;
  version?: string;
  language?: string;
};

/**
 * Infers SDK details from the most recent OTel-compatible event in the past
 * 7 days:
 * - isOtel: event arrived via OTel-compatible ingestion (`source` column;
 *   includes Langfuse SDK v3+, raw OTel exporters, and backfilled OTel rows)
 * - name/version: ingestion attribution headers persisted at write time
 *   (`ingestion_sdk_name`/`ingestion_sdk_version`; 'unknown' for non-Langfuse
 *   clients, which then return no name/version)
 * - language: `telemetry_sdk_language` resource attribute column
 *
 * Projects with no OTel events in the past 7 days return isOtel: false
 * (acceptable for inactive projects and pre-OTel v2 SDKs).
 */
export async function getLatestSdkVersionInfoFromEvents(params: {
  projectId: string;
}): Promise<SdkMetadata> {
  const { projectId } = params;

  // Time filter: last 7 days
  const sevenDaysAgo = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000);
  const result = await queryClickhouse<{
    ingestion_sdk_name: string;
    ingestion_sdk_version: string;
    telemetry_sdk_language: string;
    first_seen: string;
    last_seen: string;
    event_count: string;
  }>({
    query: `
SELECT
  e.ingestion_sdk_name AS ingestion_sdk_name,
  e.ingestion_sdk_version AS ingestion_sdk_version,
  e.telemetry_sdk_language AS telemetry_sdk_language,
  min(e.start_time) AS first_seen,
  max(e.start_time) AS last_seen,
  count() AS event_count
FROM events_core e
WHERE
  e.project_id = {projectId: String}
  AND e.start_time >= {sevenDaysAgo: DateTime64(3)}
  AND toDate(e.start_time) >= toDate({sevenDaysAgo: DateTime64(3)})
  AND startsWith(e.source, 'otel')
  AND e.ingestion_sdk_name NOT IN {internalSdkNames: Array(String)}
  AND e.is_deleted = 0
GROUP BY
  e.ingestion_sdk_name,
  e.ingestion_sdk_version,
  e.telemetry_sdk_language
ORDER BY last_seen DESC
    `,
    params: {
      projectId,
      sevenDaysAgo: convertDateToClickhouseDateTime(sevenDaysAgo),
      internalSdkNames: [...INTERNAL_INGESTION_SDK_NAMES],
    },
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  if (result.length === 0) {
    return { isOtel: false };
  }
  const row = result[0];

  // Attribution headers are only sent by Langfuse SDKs; raw OTel clients
  // (e.g. Vercel AI SDK) carry the 'unknown' sentinel and yield no name/version
  const hasAttribution =
    row.ingestion_sdk_name &&
    row.ingestion_sdk_name !== UNKNOWN_INGESTION_SDK_VALUE;
  const version = hasAttribution
    ? row.ingestion_sdk_version !== UNKNOWN_INGESTION_SDK_VALUE
      ? row.ingestion_sdk_version
      : ""
    : undefined;

  return {
    isOtel: true,
    ...(hasAttribution && { name: row.ingestion_sdk_name }),
    ...(version && { version }),
    ...(row.telemetry_sdk_language && {
      language: row.telemetry_sdk_language,
    }),
  };
}

export const getTracesIdentifierForSessionFromEvents = async (
  projectId: string,
  sessionId: string,
) => {
  // Build traces CTE using eventsTracesAggregation
  const tracesBuilder = eventsTracesAggregation({
    projectId,
    truncated: true,
    orderByTimestamp: false,
  });

  tracesBuilder.whereRaw(
    `e.trace_id IN (
      SELECT DISTINCT trace_id
      FROM events_core
      WHERE project_id = {projectId: String}
        AND session_id = {sessionId: String}
    )`,
    {
      projectId: projectId,
      sessionId: sessionId,
    },
  );

  tracesBuilder.havingRaw("session_id = {sessionId: String}", {
    sessionId: sessionId,
  });

  // Build the final query
  const queryBuilder = new CTEQueryBuilder()
    .withCTEFromBuilder("traces", tracesBuilder)
    .from("traces", "t")
    .selectColumns(
      "t.id",
      "t.user_id",
      "t.name",
      "t.timestamp",
      "t.project_id",
      "t.environment",
    )
    .orderBy("ORDER BY t.timestamp ASC")
    .limitBy("t.id", "t.project_id");

  const { query, params } = queryBuilder.buildWithParams();

  const rows = await queryClickhouse<{
    id: string;
    user_id: string;
    name: string;
    timestamp: string;
    environment: string;
  }>({
    query,
    params,
    tags: { projectId },
    preferredClickhouseService: "EventsReadOnly",
  });

  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    name: row.name,
    timestamp: parseClickhouseUTCDateTimeFormat(row.timestamp),
    environment: row.environment,
  }));
};
