// The demo partner organisations as the table holds them (the contract of issue 16): the ORG item with
// its e-mail domains and OIDC provider, one ORGDOMAIN item per domain and one IDP item per provider,
// plus the broker's links of pat and gus to their accounts at Acme's and Globex's own IdPs (as an
// operator would pre-link them with AdminLinkProviderForUser in Cognito). Written once per data folder
// (a marker item), so an organisation an admin later removes or changes stays as the admin left it.
import { keys } from '../../functions/data/keys';
import type { Table } from '../../functions/data/table';
import { organisationItem } from '../../functions/domain/orgs/organisations';
import { LOCAL_IDP_CLIENT, PARTNER_IDPS } from './demo-accounts';
import { identityLinkKey } from './identity-link';

const MARKER = { PK: 'SEED', SK: 'demo-orgs-v1' };

/**
 * Where a local partner IdP lives. Stored with the default port; the broker serves any loopback
 * `/idp/<provider>` issuer itself, so the items stay right when `PORT` (or a test's port) differs.
 */
export const localIssuer = (provider: string, origin = 'http://localhost:3000') =>
  `${origin}/idp/${provider}`;

/** Writes the demo organisations once; true when it wrote them now. */
export async function registerDemoOrganisations(table: Table, now = new Date()): Promise<boolean> {
  if (await table.get(MARKER)) return false;
  for (const idp of PARTNER_IDPS.filter((p) => p.registered)) {
    const existing = await table.get(keys.organisation(idp.org));
    // A data folder seeded before issue 16 has the bare ORG item: keep its name and creation time.
    await table.put(
      organisationItem({
        id: idp.org,
        name: typeof existing?.name === 'string' ? existing.name : idp.name,
        createdAt: typeof existing?.createdAt === 'string' ? existing.createdAt : now.toISOString(),
        emailDomains: [idp.domain],
        provider: {
          name: idp.provider,
          kind: 'oidc',
          issuer: localIssuer(idp.provider),
          clientId: LOCAL_IDP_CLIENT.clientId,
          clientSecret: LOCAL_IDP_CLIENT.clientSecret,
        },
        status: 'active',
        version: typeof existing?.version === 'number' ? existing.version : 1,
      }),
    );
    await putIfAbsent(table, {
      ...keys.organisationDomain(idp.domain),
      type: 'organisation-domain',
      orgId: idp.org,
    });
    await putIfAbsent(table, {
      ...keys.organisationProvider(idp.provider),
      type: 'organisation-provider',
      orgId: idp.org,
    });
    // pat and gus keep the user ids the demo data and the tests know them by.
    const known = idp.users.find((user) => user.id === (idp.org === 'acme' ? 'pat' : 'gus'));
    if (known)
      await putIfAbsent(table, {
        ...identityLinkKey(idp.provider, known.id),
        type: 'identity-link',
        providerName: idp.provider,
        subject: known.id,
        userId: known.id,
        createdAt: now.toISOString(),
      });
  }
  await table.put({ ...MARKER, loadedAt: now.toISOString() });
  return true;
}

/** Puts an item unless one is there (the domain or provider may already belong to someone: theirs stays). */
export async function putIfAbsent(table: Table, item: Parameters<Table['put']>[0]): Promise<boolean> {
  try {
    await table.put(item, { expression: 'attribute_not_exists(PK)' });
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}
