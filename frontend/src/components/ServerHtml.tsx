/**
 * HTML the server rendered from Markdown through its allow-list sanitizer (posts, comments), or the
 * editor preview made by the very same renderer. Clicks on its app links (@mentions, #tags) stay in
 * the single-page app instead of reloading it.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

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
      navigate(url.pathname + url.search + url.hash);
    };
    element.addEventListener('click', onClick);
    return () => element.removeEventListener('click', onClick);
  }, [navigate]);

  // An image written without alt text (raw <img>) is announced as decorative rather than by file name.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again whenever new HTML is set
  useLayoutEffect(() => {
    for (const image of ref.current?.querySelectorAll('img:not([alt])') ?? []) image.setAttribute('alt', '');
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
