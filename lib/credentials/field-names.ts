/** FormData name prefix of a provider's own fields (`field.apiKey`, `field.apiVersion`, …). */
export const FIELD_PREFIX = "field.";
