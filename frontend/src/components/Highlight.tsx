/**
 * A search snippet: the server sends sanitized HTML whose only markup is <mark>. It is still not put
 * into the page as HTML: it is parsed in an inert document and rebuilt as text and <mark> elements,
 * so nothing else could ever render from it.
 */
import { type ReactNode, useMemo } from 'react';

function rebuild(node: Node, key: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const children = [...node.childNodes].map((child, i) => rebuild(child, `${key}.${i}`));
  return (node as Element).tagName === 'MARK' ? <mark key={key}>{children}</mark> : children;
}

export function Highlight({ html }: { html: string }) {
  const content = useMemo(() => {
    const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
    return [...doc.body.childNodes].map((node, i) => rebuild(node, String(i)));
  }, [html]);
  return <>{content}</>;
}
