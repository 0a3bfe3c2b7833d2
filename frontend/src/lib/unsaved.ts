/**
 * Unsaved text kept in localStorage, so that a failed save, a closed tab, an expired session or a
 * crash never loses what someone typed. Each tab writes under its own key (two tabs editing the same
 * post must not overwrite each other's text); any tab can find the others' leftovers to restore.
 */
import { useEffect, useRef, useState } from 'react';

const PREFIX = 'commonplace:unsaved:';
const TAB_KEY = 'commonplace:tab';

function tabId(): string {
  let id = sessionStorage.getItem(TAB_KEY);
  if (!id) {
    id = Math.random().toString(36).slice(2, 10);
    sessionStorage.setItem(TAB_KEY, id);
  }
  return id;
}

export interface Unsaved<T> {
  key: string;
  tab: string;
  savedAt: string;
  value: T;
}

function storageKey(scope: string, tab = tabId()): string {
  return `${PREFIX}${scope}#${tab}`;
}

export function writeUnsaved<T>(scope: string, value: T): void {
  try {
    localStorage.setItem(storageKey(scope), JSON.stringify({ savedAt: new Date().toISOString(), value }));
  } catch {
    // Storage full or disabled: the text is still in the page.
  }
}

export function clearUnsaved(scope: string): void {
  localStorage.removeItem(storageKey(scope));
}

/** Every tab's unsaved text for a scope (or for every scope under a prefix), newest first. */
export function listUnsaved<T>(scopePrefix: string): (Unsaved<T> & { scope: string })[] {
  const found: (Unsaved<T> & { scope: string })[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(PREFIX + scopePrefix)) continue;
    const rest = key.slice(PREFIX.length);
    const hash = rest.lastIndexOf('#');
    try {
      const parsed = JSON.parse(localStorage.getItem(key) ?? '') as { savedAt: string; value: T };
      found.push({
        key,
        scope: rest.slice(0, hash),
        tab: rest.slice(hash + 1),
        savedAt: parsed.savedAt,
        value: parsed.value,
      });
    } catch {
      localStorage.removeItem(key);
    }
  }
  return found.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

export function removeUnsavedKey(key: string): void {
  localStorage.removeItem(key);
}

/** Text state that is mirrored to localStorage while it differs from `initial`. */
export function usePersistentText(
  scope: string,
  initial = '',
): [string, (value: string) => void, () => void] {
  const [text, setText] = useState(
    () =>
      listUnsaved<string>(scope).find((entry) => entry.scope === scope && entry.tab === tabId())?.value ??
      initial,
  );
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (text && text !== initial) writeUnsaved(scope, text);
    else clearUnsaved(scope);
  }, [scope, text, initial]);
  const reset = () => {
    clearUnsaved(scope);
    setText(initial);
  };
  return [text, setText, reset];
}
