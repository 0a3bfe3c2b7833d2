/**
 * Reading and changing one's e-mail preferences, and the one-click unsubscribe of a kind: a signed link
 * (unsubscribe-token.ts) that sets the kind to `never` without signing in. A bad signature changes
 * nothing and says only that the link is not valid.
 */
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { DomainError } from '../errors';
import type { Principal } from '../principal';
import {
  DEFAULT_PREFERENCES,
  type Frequency,
  KIND_LABELS,
  type MailKind,
  type MailPreferences,
  preferencesFrom,
  preferencesItem,
} from './preferences';
import { verifyUnsubscribe } from './unsubscribe-token';

export interface PreferencesView {
  preferences: MailPreferences;
  defaults: MailPreferences;
  labels: Record<MailKind, string>;
}

export class InvalidUnsubscribeLink extends DomainError {
  constructor() {
    super(403, 'invalid-unsubscribe-link', 'Invalid unsubscribe link', 'This unsubscribe link is not valid');
  }
}

export class MailPreferenceService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly unsubscribeKey?: () => Promise<Uint8Array>,
  ) {}

  async get(principal: Principal): Promise<PreferencesView> {
    return view(await this.read(principal.userId));
  }

  /** Sets the kinds given; the others keep their value. */
  async update(principal: Principal, changes: Partial<MailPreferences>): Promise<PreferencesView> {
    const prefs = { ...(await this.read(principal.userId)), ...changes };
    await this.ctx.table.put(preferencesItem(principal.userId, prefs, this.ctx.clock.now().toISOString()));
    return view(prefs);
  }

  /** The link's kind set to `never`; refused (403) unless the signature is this person's and kind's. */
  async unsubscribe(userId: string, kind: string, signature: string): Promise<MailKind> {
    if (!this.unsubscribeKey) throw new InvalidUnsubscribeLink();
    if (!verifyUnsubscribe(await this.unsubscribeKey(), userId, kind, signature))
      throw new InvalidUnsubscribeLink();
    const prefs: MailPreferences = { ...(await this.read(userId)), [kind as MailKind]: 'never' as Frequency };
    await this.ctx.table.put(preferencesItem(userId, prefs, this.ctx.clock.now().toISOString()));
    return kind as MailKind;
  }

  /** Only verifies (the landing page shows a button only for a valid link). */
  async isValidLink(userId: string, kind: string, signature: string): Promise<boolean> {
    return !!this.unsubscribeKey && verifyUnsubscribe(await this.unsubscribeKey(), userId, kind, signature);
  }

  private async read(userId: string): Promise<MailPreferences> {
    return preferencesFrom(await this.ctx.table.get(keys.mailPreferences(userId)));
  }
}

const view = (preferences: MailPreferences): PreferencesView => ({
  preferences,
  defaults: { ...DEFAULT_PREFERENCES },
  labels: KIND_LABELS,
});
