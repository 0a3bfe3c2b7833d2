/**
 * Partner organisations. Each federated identity provider maps to one; spaces are shared with them by
 * id. Employees may list them (to share a space); a partner sees only their own.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import type { DomainContext } from '../context';
import { Conflict, Forbidden } from '../errors';
import { isAdmin, isEmployee, type Principal } from '../principal';

export interface Organisation {
  id: string;
  name: string;
  createdAt: string;
}

export function organisationItem(org: Organisation): Item {
  return {
    ...keys.organisation(org.id),
    type: 'organisation',
    ...org,
    GSI1PK: keys.organisationsIndex,
    GSI1SK: `${org.name.toLowerCase()}#${org.id}`,
  };
}

const toOrganisation = (item: Item): Organisation => ({
  id: item.id as string,
  name: item.name as string,
  createdAt: item.createdAt as string,
});

export class OrganisationService {
  constructor(private readonly ctx: DomainContext) {}

  async list(principal: Principal): Promise<Organisation[]> {
    if (principal.org) {
      const item = await this.ctx.table.get(keys.organisation(principal.org));
      return item ? [toOrganisation(item)] : [];
    }
    if (!isEmployee(principal)) throw new Forbidden('Only employees can list partner organisations');
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.organisationsIndex,
      limit: 500,
    });
    return page.items.map(toOrganisation);
  }

  async create(principal: Principal, input: { id: string; name: string }): Promise<Organisation> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins can register partner organisations');
    const org = { ...input, createdAt: this.ctx.clock.now().toISOString() };
    try {
      await this.ctx.table.transact([
        { Put: { Item: organisationItem(org), ConditionExpression: 'attribute_not_exists(PK)' } },
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new Conflict(`Organisation ${input.id} already exists`);
      throw error;
    }
    return org;
  }

  /** Ids among `ids` that are not registered organisations. */
  async unknown(ids: string[]): Promise<string[]> {
    const found = await this.ctx.table.getMany(ids.map((id) => keys.organisation(id)));
    return ids.filter((_, i) => !found[i]);
  }
}
