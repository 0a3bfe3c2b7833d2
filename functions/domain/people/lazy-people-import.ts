/**
 * The HR import (CSV parsing, provisioning) is an admin's rare write: loaded with import() on the
 * first import, so the profiles Lambda's cold start does not pay for it.
 */
import type { DomainContext } from '../context';
import type { PeopleImport } from './people-import';
import type { ReportingService } from './reporting-service';
import type { SignInAccounts } from './sign-in-accounts';

export type PeopleImports = Pick<PeopleImport, 'step'>;

export function lazyPeopleImport(
  ctx: DomainContext,
  reporting: ReportingService,
  signIn?: SignInAccounts,
): PeopleImports {
  let service: Promise<PeopleImport> | undefined;
  const load = () => {
    service ??= import('./people-import').then((m) => new m.PeopleImport(ctx, reporting, signIn));
    return service;
  };
  return { step: async (...args) => (await load()).step(...args) };
}
