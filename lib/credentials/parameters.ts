/**
 * Limits on "Model Parameters (JSON)" beyond its size: nesting depth and number of keys. A small
 * text can still be hostile (8 KB of `[[[[…` pretty-prints as millions of characters on every
 * owner's page), so the shape is checked on the way in and on the way out. Pure, client-safe.
 */

export const PARAMETER_LIMITS = { bytes: 8 * 1024, depth: 5, keys: 100 } as const;

/**
 * Why a parsed value breaks the limits (a message for the card), or null when it is within them:
 * at most 5 levels of objects and arrays, at most 100 object keys in all. Iterative, so a deep
 * value cannot exhaust the stack.
 */
export function parameterShapeProblem(value: unknown): string | null {
  let keys = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > PARAMETER_LIMITS.depth) return `Model Parameters may nest at most ${PARAMETER_LIMITS.depth} levels deep.`;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (!Array.isArray(node)) {
      keys += children.length;
      if (keys > PARAMETER_LIMITS.keys) return `Model Parameters may have at most ${PARAMETER_LIMITS.keys} keys.`;
    }
    for (const child of children) if (typeof child === "object" && child !== null) stack.push({ node: child, depth: depth + 1 });
  }
  return null;
}

/** Parameters as the card shows them: indented when within the limits, else compact (a row stored before them). */
export function formatParameters(value: Record<string, unknown> | null): string {
  if (!value) return "";
  return parameterShapeProblem(value) ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}
