import { useEffect, useMemo, useRef, useState } from 'react';
import type { Choice } from '../services.ts';

/** How long typing pauses before a search goes out. */
export const SEARCH_DELAY_MS = 250;

/**
 * Options of a searchable picker: the labels of the values it holds (resolved once each) plus the
 * matches of the latest search (debounced; an older answer never replaces a newer one).
 */
export function useChoices(
  values: readonly string[],
  resolve: (ids: readonly string[]) => Promise<Choice[]>,
  search: (query: string) => Promise<Choice[]>,
) {
  const [known, setKnown] = useState<Map<string, Choice>>(new Map());
  const [matches, setMatches] = useState<Choice[]>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const missing = values.filter((id) => !known.has(id));
  const missingKey = missing.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the ids, not the arrays' identity
  useEffect(() => {
    if (missing.length === 0) return;
    let live = true;
    resolve(missing)
      .then((found) => {
        if (!live) return;
        setKnown((before) => {
          const next = new Map(before);
          for (const choice of found) next.set(choice.value, choice);
          // an id the user may not read (or gone) shows as itself rather than loading forever
          for (const id of missing) if (!next.has(id)) next.set(id, { value: id, label: id, inactive: true });
          return next;
        });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [missingKey]);

  const run = (query: string) => {
    const ticket = ++latest.current;
    setLoading(true);
    search(query)
      .then((found) => {
        if (ticket !== latest.current) return;
        setMatches(found);
        setKnown((before) => {
          const next = new Map(before);
          for (const choice of found) next.set(choice.value, choice);
          return next;
        });
      })
      .catch(() => undefined)
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
  };

  const onSearch = (query: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => run(query), SEARCH_DELAY_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const options = useMemo(() => {
    const seen = new Set<string>();
    const list: Choice[] = [];
    for (const choice of [...values.map((id) => known.get(id) ?? { value: id, label: '…' }), ...matches]) {
      if (seen.has(choice.value)) continue;
      seen.add(choice.value);
      list.push(choice);
    }
    return list;
  }, [values, known, matches]);

  return { options, loading, onSearch, onOpen: () => run('') };
}
