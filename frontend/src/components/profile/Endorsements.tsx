/**
 * Skills with endorsements: how many colleagues (that you may see) vouch for each, and who; endorse or
 * withdraw on someone else's profile, remove an endorsement on your own. Skills the person lists come
 * first, then skills only others have endorsed.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { type ApiError, api, enc } from '../../api/client';
import { expertiseKeys, expertisePath, fetchEndorsements, type SkillEndorsements } from '../../api/expertise';
import type { Profile } from '../../api/types';
import { ExternalBadge } from '../People';

/** The key a skill is endorsed under: lower case, runs of spaces as one `-` (as the server normalises). */
const skillKey = (skill: string) => skill.trim().replace(/^#/, '').replace(/\s+/g, '-').toLowerCase();

export function Endorsements({ profile, mine }: { profile: Profile; mine: boolean }) {
  const queryClient = useQueryClient();
  const key = expertiseKeys.endorsements(profile.userId);
  const endorsements = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => fetchEndorsements(profile.userId, signal),
  });
  const change = useMutation<{ items: SkillEndorsements[] }, ApiError, { method: string; path: string }>({
    mutationFn: ({ method, path }) => api(method, path),
    onSuccess: (result) => queryClient.setQueryData(key, result),
  });
  const bySkill = new Map((endorsements.data?.items ?? []).map((e) => [e.skill, e]));
  const rows: { label: string; key: string; endorsement?: SkillEndorsements }[] = profile.skills.map(
    (skill) => ({
      label: skill,
      key: skillKey(skill),
      endorsement: bySkill.get(skillKey(skill)),
    }),
  );
  for (const [k, endorsement] of bySkill)
    if (!rows.some((row) => row.key === k)) rows.push({ label: k, key: k, endorsement });
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="skills-title" className="skills">
      <h2 id="skills-title">Skills</h2>
      <ul className="plain-list skill-list">
        {rows.map(({ label, key: skill, endorsement }) => {
          const count = endorsement?.count ?? 0;
          return (
            <li key={skill} className="skill-row">
              <Link to={`/people?skill=${encodeURIComponent(label)}`}>{label}</Link>{' '}
              <Link className="small" to={expertisePath(skill)}>
                who else knows about it
              </Link>{' '}
              {count > 0 ? (
                <details className="endorsers">
                  <summary>
                    Endorsed by {count} {count === 1 ? 'person' : 'people'}
                  </summary>
                  <ul className="plain-list small" aria-label={`Who endorsed ${label}`}>
                    {endorsement!.endorsers.map((person) => (
                      <li key={person.userId}>
                        <Link to={`/people/${encodeURIComponent(person.userId)}`}>{person.name}</Link>
                        {person.org && <ExternalBadge org={person.org} />}
                        {mine && (
                          <button
                            type="button"
                            className="link-button small"
                            disabled={change.isPending}
                            onClick={() =>
                              change.mutate({
                                method: 'DELETE',
                                path: `/me/endorsements/${enc(skill)}/${enc(person.userId)}`,
                              })
                            }
                          >
                            Remove
                            <span className="visually-hidden">
                              {' '}
                              {person.name}’s endorsement of {label}
                            </span>
                          </button>
                        )}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : (
                <span className="muted small">not endorsed yet</span>
              )}
              {!mine && (
                <button
                  type="button"
                  className="small"
                  aria-pressed={endorsement?.endorsedByMe ?? false}
                  disabled={change.isPending}
                  onClick={() =>
                    change.mutate({
                      method: endorsement?.endorsedByMe ? 'DELETE' : 'PUT',
                      path: `/people/${enc(profile.userId)}/endorsements/${enc(skill)}`,
                    })
                  }
                >
                  {endorsement?.endorsedByMe ? 'Endorsed' : 'Endorse'}
                  <span className="visually-hidden"> {label}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {change.isError && (
        <p role="alert" className="error-text small">
          {change.error.message}
        </p>
      )}
    </section>
  );
}
