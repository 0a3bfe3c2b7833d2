/** A person's avatar: their profile photo (from the download origin, lazily) or their initials. */
import { useEffect, useState } from 'react';
import { photoOf } from '../api/files';
import { initials } from './People';

export function Avatar({
  userId,
  name,
  large,
  version,
}: {
  userId: string;
  name: string;
  large?: boolean;
  version?: number;
}) {
  const [url, setUrl] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks again after a new photo
  useEffect(() => {
    let live = true;
    photoOf(userId).then((found) => live && setUrl(found));
    return () => {
      live = false;
    };
  }, [userId, version]);
  return (
    <span className={large ? 'avatar avatar-large' : 'avatar'} aria-hidden="true">
      {url ? (
        <img className="avatar-photo" src={url} alt="" loading="lazy" data-testid="avatar-photo" />
      ) : (
        initials(name)
      )}
    </span>
  );
}
