/**
 * The Cognito adapter of SignInAccounts, with Cognito mocked at the HTTP seam (no AWS here): the
 * request it signs and sends, and how it reads Cognito's answers. What is mocked: the network call
 * (`send`); the request is the real one, built by the adapter.
 */
import { describe, expect, it } from '@jest/globals';
import type { HttpRequest } from '@smithy/core/protocols';
import { CognitoSignInAccounts } from '../../../functions/people/cognito-sign-in-accounts';

const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
const dana = { userId: 'u-1', email: 'dana@corp.example' };

describe('CognitoSignInAccounts', () => {
  it('disables and enables the user by e-mail in the pool', async () => {
    const sent: HttpRequest[] = [];
    const accounts = new CognitoSignInAccounts(
      'eu-west-1_pool',
      'eu-west-1',
      credentials,
      async (request) => {
        sent.push(request);
        return { statusCode: 200, body: '{}' };
      },
    );
    await accounts.setEnabled(dana, false);
    await accounts.setEnabled(dana, true);
    expect(sent.map((r) => r.headers['x-amz-target'])).toEqual([
      'AWSCognitoIdentityProviderService.AdminDisableUser',
      'AWSCognitoIdentityProviderService.AdminEnableUser',
    ]);
    expect(sent[0].hostname).toBe('cognito-idp.eu-west-1.amazonaws.com');
    expect(JSON.parse(sent[0].body as string)).toEqual({
      UserPoolId: 'eu-west-1_pool',
      Username: 'dana@corp.example',
    });
  });

  it('ignores a user the pool does not know, and fails on anything else', async () => {
    const answer = (statusCode: number, type: string) =>
      new CognitoSignInAccounts('p', 'eu-west-1', credentials, async () => ({
        statusCode,
        body: JSON.stringify({ __type: type }),
      }));
    await expect(answer(400, 'UserNotFoundException').setEnabled(dana, false)).resolves.toBeUndefined();
    await expect(answer(400, 'com.amazonaws#NotAuthorizedException').setEnabled(dana, false)).rejects.toThrow(
      /NotAuthorizedException/,
    );
    await expect(answer(500, 'InternalErrorException').setEnabled(dana, false)).rejects.toThrow(/500/);
  });
});
