/**
 * Runs an access check and the read it guards at the same time (one round trip of waiting instead of
 * two), but lets the check decide first: a caller who may not read gets the check's 404 or 403,
 * never something learned from the read (a bad cursor, say).
 */
export async function readWhileChecking<C, R>(check: Promise<C>, read: Promise<R>): Promise<[C, R]> {
  const [checked, result] = await Promise.allSettled([check, read]);
  if (checked.status === 'rejected') throw checked.reason;
  if (result.status === 'rejected') throw result.reason;
  return [checked.value, result.value];
}
