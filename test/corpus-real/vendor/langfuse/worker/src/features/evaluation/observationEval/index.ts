export {
  isObservationAllowedForQueuedObservationEvals,
  scheduleObservationEvals,
} from "./scheduleObservationEvals";
export { fetchObservationEvalRules } from "./fetchObservationEvalRules";
export { createObservationEvalSchedulerDeps } from "./createSchedulerDeps";
export { processObservationEval } from "./observationEvalProcessor";
export type { ObservationForEval, ObservationEvalRule } from "./types";
