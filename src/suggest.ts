/**
 * "Did you mean …?" for misspelt field names and enum values: the nearest candidate by
 * optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so
 * `is_trusted_sendr` → `is_trusted_sender` and `commnets` → `comments` are one edit away).
 *
 * Work is bounded whatever the input: strings longer than `MAX_SUGGESTION_INPUT` get no
 * suggestion, and the distance is computed only inside the band that could still beat the best
 * candidate so far (stopping as soon as a whole row is over it), so one call costs at most
 * about `candidates × length × (2·limit + 1)` cells.
 */

/** Inputs (and candidates) longer than this get no suggestion: no field name is that long. */
export const MAX_SUGGESTION_INPUT = 128;

/** Counts the cells computed (tests use it to prove the work is bounded). */
export interface DistanceWork {
  cells: number;
}

/**
 * Edit distance between two strings (insertions, deletions, substitutions, adjacent swaps), or
 * `limit + 1` as soon as it is known to exceed `limit`.
 */
export function editDistance(
  a: string,
  b: string,
  limit = Number.POSITIVE_INFINITY,
  work?: DistanceWork,
): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  const width = b.length + 1;
  let before = new Array<number>(width).fill(over); // row i - 2
  let above = new Array<number>(width); // row i - 1
  let row = new Array<number>(width).fill(over);
  for (let j = 0; j < width; j++) above[j] = j <= limit ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - (Number.isFinite(limit) ? limit : i));
    const to = Math.min(b.length, i + (Number.isFinite(limit) ? limit : b.length));
    // Only the band is computed; its two neighbours are the only cells outside it read later.
    row[0] = i <= limit ? i : over;
    row[from - 1] = from === 1 ? row[0] : over;
    if (to < b.length) row[to + 1] = over;
    let rowMin = row[from - 1] as number;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (before[j - 2] as number) + 1);
      }
      row[j] = distance > limit ? over : distance;
      if (distance < rowMin) rowMin = distance;
    }
    if (work) work.cells += to - from + 1;
    if (rowMin > limit) return over;
    [before, above, row] = [above, row, before];
  }
  return Math.min(above[b.length] as number, over);
}

/**
 * The candidate nearest to `input` (case-insensitive), or undefined when none is close enough:
 * at most one edit per three characters (and at least one), so short typos match and unrelated
 * names do not. Ties go to the earlier candidate.
 */
export function suggest(
  input: string,
  candidates: readonly string[],
  work?: DistanceWork,
): string | undefined {
  if (input.length > MAX_SUGGESTION_INPUT) return undefined;
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate.length > MAX_SUGGESTION_INPUT) continue;
    const allowed = Math.max(1, Math.floor(Math.max(needle.length, candidate.length) / 3));
    const limit = Math.min(allowed, bestDistance - 1);
    if (limit < 0) break;
    const distance = editDistance(needle, candidate.toLowerCase(), limit, work);
    if (distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
