/**
 * A file's stable link opened on its own (`/files/<space>/<page|post>/<owner>/<id>`, e.g. copied from
 * a page): the API checks the reader, then the browser goes to the short-lived link on the download
 * origin. Someone who may not read the page or post gets "not found", link or no link.
 */
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { downloadLink } from '../api/files';
import { ErrorState, Loading } from '../components/States';

export default function OpenFile() {
  const { pathname } = useLocation();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    downloadLink(pathname)
      .then((link) => window.location.replace(link))
      .catch(setError);
  }, [pathname]);
  if (error) return <ErrorState error={error} what="file" />;
  return <Loading label="Opening the file" />;
}
