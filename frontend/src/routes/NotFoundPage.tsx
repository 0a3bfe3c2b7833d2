import { NotFound } from '../components/States';
import { useTitle } from '../lib/useTitle';

export function NotFoundPage() {
  useTitle('Not found');
  return <NotFound />;
}
