import { stringifyValue } from "../../utils/stringChecks";
import {
  INTERNAL_TRACE_EVENT_SOURCE,
  type InternalTraceEventInput,
} from "../llm/internalTraceEvents";
import {
  LangfuseInternalTraceEnvironment,
  type InternalTraceWriteInput,
  type InternalTraceWriter,
} from "../llm/types";
import { logger } from "../logger";
import {
  CODE_EVAL_DISPATCH_PAYLOAD_MAX_BYTES,
  CODE_EVAL_DISPATCH_RESULT_MAX_BYTES,
  CODE_EVAL_SOURCE_MAX_BYTES,
  CodeEvalDispatcherError,
  CodeEvalDispatcherErrorCodes,
  withCodeEvalDocs,
  type CodeEvalDispatcherErrorCode,
  type CodeEvalDispatcher,
  type CodeEvalRuntimeLanguage,
  type CodeEvalPayload,
  type CodeEvalScoreWithName,
  type DispatchResult,
} from "./codeEvalDispatcherTypes";
import { z } from "zod";
import type { ExtractedVariable } from "./extractObservationVariables";
import { toolCallForEvalSchema } from "../../features/evals/observationForEval";

const INTERNAL_CODE_EVAL_ERROR_MESSAGE = "An internal error occurred";
const INTERNAL_CODE_EVAL_ERROR_CODE = "INTERNAL_ERROR" as const;

const INTERNAL_CODE_EVAL_ERROR_CODES = new Set<CodeEvalDispatcherErrorCode>([
  CodeEvalDispatcherErrorCodes.LAMBDA_CONCURRENCY_LIMIT,
  CodeEvalDispatcherErrorCodes.LAMBDA_CONFIGURATION_ERROR,
  CodeEvalDispatcherErrorCodes.LAMBDA_INVOCATION_ERROR,
]);

const USER_VISIBLE_CODE_EVAL_ERROR_MESSAGE_BY_CODE: Partial<
  Record<CodeEvalDispatcherErrorCode, string>
> = {
  [CodeEvalDispatcherErrorCodes.INVALID_RESULT]: withCodeEvalDocs(
    "The evaluator returned an invalid result. Return { scores: [...] } with at least one score. Each score requires a name, dataType, and value; dataType must match the value type.",
  ),
  [CodeEvalDispatcherErrorCodes.TIMEOUT]: withCodeEvalDocs(
    "Evaluator timed out. Code-based evaluators must complete within the configured runtime limit. Long executions can be caused by network calls, which are forbidden and may never complete. Remove network calls, optimize your evaluator code, and try again.",
  ),
  [CodeEvalDispatcherErrorCodes.SOURCE_TOO_LARGE]: withCodeEvalDocs(
    `Evaluator source code is too large. Code-based evaluator source code is limited to ${formatCodeEvalByteLimit(CODE_EVAL_SOURCE_MAX_BYTES)}. Shorten the evaluator code and try again.`,
  ),
  [CodeEvalDispatcherErrorCodes.PAYLOAD_TOO_LARGE]: withCodeEvalDocs(
    `Evaluator input is too large. Code-based evaluator input is limited to ${formatCodeEvalByteLimit(CODE_EVAL_DISPATCH_PAYLOAD_MAX_BYTES)}, including source code and variables. Reduce the selected input, output, metadata, or experiment fields and try again.`,
  ),
  [CodeEvalDispatcherErrorCodes.RESULT_TOO_LARGE]: withCodeEvalDocs(
    `Evaluator result is too large. Code-based evaluator results are limited to ${formatCodeEvalByteLimit(CODE_EVAL_DISPATCH_RESULT_MAX_BYTES)}. Return fewer scores or smaller score values, comments, and metadata.`,
  ),
};

function formatCodeEvalByteLimit(bytes: number): string {
  const unit = bytes >= 1024 * 1024 ? "MB" : "KB";
  const value = bytes / (unit === "MB" ? 1024 * 1024 : 1024);
  const formattedValue = Number.isInteger(value)
    ? String(value)
    : value.toFixed(1);

  return `${formattedValue} ${unit}`;
}

export type CodeEvalUserVisibleErrorCode =
  | CodeEvalDispatcherErrorCode
  | typeof INTERNAL_CODE_EVAL_ERROR_CODE;

export type CodeEvalUserVisibleError = {
  code: CodeEvalUserVisibleErrorCode;
  message: string;
  retryable: boolean;
  returnedResult?: unknown;
};

export class CodeEvalExecutionError extends Error {
  public readonly code: CodeEvalUserVisibleErrorCode;
  public readonly retryable: boolean;

  constructor(error: CodeEvalUserVisibleError) {
    super(error.message);
    this.name = "CodeEvalExecutionError";
    this.code = error.code;
    this.retryable = error.retryable;
  }
}

type CodeBasedEvaluationDispatchResult =
  | {
      success: true;
      scores: CodeEvalScoreWithName[];
      result: DispatchResult;
      executionTraceId: string;
      executionTraceFromTimestamp: Date;
    }
  | {
      success: false;
      error: CodeEvalUserVisibleError;
      executionTraceId: string;
      executionTraceFromTimestamp: Date;
    };

function buildCodeEvalPayload(params: {
  extractedVariables: ExtractedVariable[];
  hasExperimentContext: boolean;
}): CodeEvalPayload {
  const byName = new Map(
    params.extractedVariables.map((v) => [v.var, v.value]),
  );
  // Extraction zips tool calls into named objects (extractObservationVariables).
  // Configs saved before "toolCalls" entered the code eval mapping extract
  // nothing for it, so those evaluators see empty arrays. Parse rather than
  // cast: a mapping row with a jsonSelector on toolCalls (or a corrupted row)
  // would otherwise ship wrong-shaped elements into user evaluator code.
  const rawToolCalls = byName.get("toolCalls");
  const parsedToolCalls = z
    .array(toolCallForEvalSchema)
    .safeParse(rawToolCalls ?? []);
  if (!parsedToolCalls.success) {
    logger.warn(
      "Extracted toolCalls variable is not ToolCallForEval[]; evaluator receives an empty array",
      { error: parsedToolCalls.error.message },
    );
  }
  const toolCalls = parsedToolCalls.success ? parsedToolCalls.data : [];
  const payload: CodeEvalPayload = {
    observation: {
      input: byName.get("input") ?? null,
      output: byName.get("output") ?? null,
      metadata: byName.get("metadata") ?? null,
      toolCalls,
    },
  };

  if (params.hasExperimentContext) {
    payload.experiment = {
      itemExpectedOutput: byName.get("experimentItemExpectedOutput") ?? null,
      itemMetadata: byName.get("experimentItemMetadata") ?? null,
    };
  }

  return payload;
}

function getCodeEvalErrorDetails(error: unknown): {
  name: string;
  message: string;
  returnedResult?: unknown;
  code: CodeEvalUserVisibleErrorCode;
  retryable: boolean;
} {
  if (error instanceof CodeEvalDispatcherError) {
    return {
      name: error.name,
      message: error.message,
      returnedResult: error.returnedResult,
      code: error.code,
      retryable: error.retryable,
    };
  }

  return {
    name: error instanceof Error ? error.name : "Error",
    code: INTERNAL_CODE_EVAL_ERROR_CODE,
    message: INTERNAL_CODE_EVAL_ERROR_MESSAGE,
    retryable: false,
  };
}

export function getCodeEvalUserVisibleError(
  error: unknown,
): CodeEvalUserVisibleError {
  const details = getCodeEvalErrorDetails(error);

  if (details.code === INTERNAL_CODE_EVAL_ERROR_CODE) {
    return {
      code: INTERNAL_CODE_EVAL_ERROR_CODE,
      message: INTERNAL_CODE_EVAL_ERROR_MESSAGE,
      retryable: details.retryable,
    };
  }

  if (INTERNAL_CODE_EVAL_ERROR_CODES.has(details.code)) {
    return {
      code: INTERNAL_CODE_EVAL_ERROR_CODE,
      message: INTERNAL_CODE_EVAL_ERROR_MESSAGE,
      retryable: details.retryable,
    };
  }

  const message = USER_VISIBLE_CODE_EVAL_ERROR_MESSAGE_BY_CODE[details.code];
  return {
    code: details.code,
    message: message ?? details.message,
    retryable: details.retryable,
    ...(details.returnedResult !== undefined
      ? { returnedResult: details.returnedResult }
      : {}),
  };
}

export async function runCodeBasedEvaluationDispatch(params: {
  dispatcher: CodeEvalDispatcher;
  organizationId: string;
  projectId: string;
  executionTraceId: string;
  jobExecutionId: string;
  evaluator: { id: string };
  version: {
    sourceCode: string;
    sourceCodeLanguage: CodeEvalRuntimeLanguage;
  };
  extractedVariables: ExtractedVariable[];
  hasExperimentContext?: boolean;
  traceName: string;
  metadata: Record<string, unknown>;
  writeTrace?: InternalTraceWriter;
}): Promise<CodeBasedEvaluationDispatchResult> {
  const payload = buildCodeEvalPayload({
    extractedVariables: params.extractedVariables,
    hasExperimentContext: params.hasExperimentContext ?? false,
  });
  const traceStartTime = new Date();
  let dispatchResult: DispatchResult | undefined;

  try {
    dispatchResult = await params.dispatcher.dispatch({
      scope: {
        organizationId: params.organizationId,
        projectId: params.projectId,
        evaluatorId: params.evaluator.id,
      },
      runtime: { language: params.version.sourceCodeLanguage },
      execution: { jobExecutionId: params.jobExecutionId },
      code: { source: params.version.sourceCode },
      payload,
    });

    await writeCodeEvalTraceSafely({
      writeTrace: params.writeTrace,
      trace: buildCodeEvalTraceInput({
        projectId: params.projectId,
        executionTraceId: params.executionTraceId,
        traceStartTime,
        traceName: params.traceName,
        payload,
        output: dispatchResult,
        metadata: params.metadata,
        sourceCode: params.version.sourceCode,
      }),
    });

    return {
      success: true,
      scores: dispatchResult.scores,
      result: dispatchResult,
      executionTraceId: params.executionTraceId,
      executionTraceFromTimestamp: traceStartTime,
    };
  } catch (error) {
    const errorDetails = getCodeEvalErrorDetails(error);
    const visibleError = getCodeEvalUserVisibleError(error);
    const traceError = {
      name: errorDetails.name,
      code: visibleError.code,
      message: visibleError.message,
      retryable: errorDetails.retryable,
      ...(visibleError.returnedResult !== undefined
        ? { returnedResult: visibleError.returnedResult }
        : {}),
    };
    const errorCodeForTrace = errorDetails.code;

    await writeCodeEvalTraceSafely({
      writeTrace: params.writeTrace,
      trace: buildCodeEvalTraceInput({
        projectId: params.projectId,
        executionTraceId: params.executionTraceId,
        traceStartTime,
        traceName: params.traceName,
        payload,
        output: {
          ...(dispatchResult ? { result: dispatchResult } : {}),
          error: traceError,
        },
        metadata: {
          ...params.metadata,
          error_name: errorDetails.name,
          error_message: visibleError.message,
          error_code: errorCodeForTrace,
          ...(errorCodeForTrace !== visibleError.code
            ? { error_public_code: visibleError.code }
            : {}),
          error_retryable: errorDetails.retryable,
        },
        sourceCode: params.version.sourceCode,
        level: "ERROR",
        statusMessage: `Code eval execution failed: ${visibleError.message}`,
      }),
    });

    return {
      success: false,
      error: visibleError,
      executionTraceId: params.executionTraceId,
      executionTraceFromTimestamp: traceStartTime,
    };
  }
}

function buildCodeEvalTraceInput(params: {
  projectId: string;
  executionTraceId: string;
  traceStartTime: Date;
  traceName: string;
  payload: CodeEvalPayload;
  output: unknown;
  metadata: Record<string, unknown>;
  sourceCode: string;
  level?: string;
  statusMessage?: string;
}): InternalTraceWriteInput {
  const eventInput: InternalTraceEventInput = {
    projectId: params.projectId,
    traceId: params.executionTraceId,
    spanId: params.executionTraceId,
    startTimeISO: params.traceStartTime.toISOString(),
    endTimeISO: new Date().toISOString(),
    name: params.traceName,
    traceName: params.traceName,
    type: "SPAN",
    environment: LangfuseInternalTraceEnvironment.CodeEval,
    level: params.level ?? "DEFAULT",
    statusMessage: params.statusMessage,
    input: stringifyValue(params.payload),
    output: stringifyValue(params.output),
    metadata: {
      ...params.metadata,
      code_eval_source_code: params.sourceCode,
    },
    source: INTERNAL_TRACE_EVENT_SOURCE,
  };

  return {
    rootSpanId: params.executionTraceId,
    eventInputs: [eventInput],
  };
}

async function writeCodeEvalTraceSafely(params: {
  writeTrace?: InternalTraceWriter;
  trace: InternalTraceWriteInput;
}) {
  if (!params.writeTrace) return;

  try {
    await params.writeTrace(params.trace);
  } catch (error) {
    logger.warn("Failed to write internal trace for code eval execution", {
      executionTraceId: params.trace.rootSpanId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
