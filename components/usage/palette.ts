/** Series colours: mid-lightness, so each reads on the light and the dark background alike. */
export const SERIES_COLORS = [
  "oklch(0.62 0.16 265)",
  "oklch(0.68 0.15 150)",
  "oklch(0.72 0.15 70)",
  "oklch(0.63 0.19 25)",
  "oklch(0.66 0.13 200)",
  "oklch(0.62 0.17 320)",
  "oklch(0.7 0.12 110)",
  "oklch(0.6 0.02 260)",
];

export const colorOf = (index: number) => SERIES_COLORS[index % SERIES_COLORS.length]!;
