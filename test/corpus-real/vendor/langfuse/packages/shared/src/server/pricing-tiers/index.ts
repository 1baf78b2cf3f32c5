/**
 * Shared pricing tier utilities
 * Export validation, types, and other utilities for use across the codebase
 */

export type {
  PricingTierMatchAttributes,
  PricingTierMatchResult,
  PricingTierWithPrices,
} from "./types";

export { hasPricingTierUsageDetails, matchPricingTier } from "./matcher";
