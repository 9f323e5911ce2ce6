/** The one-line answer a profile gives an agent, in plain words, from the entries not skipped. */

type PreviewEntry = { providerName: string; model: string; skipped: string | null };

export function profilePreview(name: string, entries: PreviewEntry[]): { first: string | null; fallbacks: string[]; text: string } {
  const used = entries.filter((entry) => entry.skipped === null).map((entry) => `${entry.providerName} · ${entry.model}`);
  const [first = null, ...fallbacks] = used;
  if (!first) {
    return {
      first,
      fallbacks,
      text: `An agent asking for ${name} gets nothing yet: ${entries.length ? "every model is skipped, add one it may use" : "add a model"}.`,
    };
  }
  const rest = fallbacks.length ? `, then ${fallbacks.join(", ")} as ${fallbacks.length === 1 ? "fallback" : "fallbacks"}` : "";
  return { first, fallbacks, text: `An agent asking for ${name} gets ${first}${rest}.` };
}
