import { useEffect } from 'react';

/** Sets the document title, so tabs, history and screen readers say where you are. */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Commonplace` : 'Commonplace';
  }, [title]);
}
