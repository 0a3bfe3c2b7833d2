/**
 * HTML the server rendered from Markdown through its allow-list sanitizer (posts, comments), or the
 * editor preview made by the very same renderer. Clicks on its app links (@mentions, #tags) stay in
 * the single-page app instead of reloading it.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { downloadLink, isFilePath } from '../api/files';

export function ServerHtml({
  html,
  className,
  testId,
}: {
  html: string;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onClick = (event: MouseEvent) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const anchor = (event.target as Element).closest('a');
      if (!anchor || anchor.target || !anchor.getAttribute('href')) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      // An attached file: the API checks the reader, then it opens from the download origin.
      if (isFilePath(url.pathname)) {
        const opened = window.open('about:blank', '_blank');
        if (opened) opened.opener = null;
        void downloadLink(url.pathname).then((link) => {
          if (opened) opened.location.href = link;
          else window.location.assign(link);
        });
        return;
      }
      navigate(url.pathname + url.search + url.hash);
    };
    element.addEventListener('click', onClick);
    return () => element.removeEventListener('click', onClick);
  }, [navigate]);

  // An image written without alt text (raw <img>) is announced as decorative rather than by file name.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again whenever new HTML is set
  useLayoutEffect(() => {
    for (const image of ref.current?.querySelectorAll('img:not([alt])') ?? []) image.setAttribute('alt', '');
    // Attached images carry no src (nothing loads from the app's origin): each gets a short-lived link
    // from the download origin once the API has checked the reader. They load lazily (loading=lazy).
    for (const image of ref.current?.querySelectorAll<HTMLImageElement>('img[data-file]') ?? []) {
      const path = image.dataset.file ?? '';
      if (!isFilePath(path)) continue;
      downloadLink(path)
        .then((link) => {
          image.src = link;
        })
        .catch(() => image.classList.add('file-missing'));
    }
  }, [html]);
  return (
    <div
      ref={ref}
      className={className}
      data-testid={testId}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the shared allow-list renderer
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
