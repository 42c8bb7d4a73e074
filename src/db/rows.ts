// Hand-written SQL reads a joined table's columns under a prefix ("b_firstName"); this reads them back under their
// own names. A plain loop over key lists made once per (columns, prefix): Object.fromEntries over mapped pairs was
// ~5% of a campaign page's CPU (20 rows, three column sets each).
const keyLists = new WeakMap<readonly string[], Map<string, string[]>>();

export function columnsOf<K extends string>(
  row: Record<string, unknown>,
  names: readonly K[],
  prefix = "",
): Record<K, unknown> {
  let byPrefix = keyLists.get(names);
  if (!byPrefix) keyLists.set(names, (byPrefix = new Map<string, string[]>()));
  let keys = byPrefix.get(prefix);
  if (!keys) byPrefix.set(prefix, (keys = names.map((n) => `${prefix}${n}`)));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) out[names[i] as string] = row[keys[i] ?? ""];
  return out;
}
