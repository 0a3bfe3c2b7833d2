/**
 * The SCIM 2.0 endpoint for the company's provisioning client (Entra ID, Okta): its own Lambda
 * (functions/scim/lambda.ts) on `ANY /api/scim/v2/{proxy+}` without the JWT authorizer — the client
 * proves itself with a bearer token held in a Secrets Manager secret made here (give its value to the
 * client; docs/operations.md, "Provisioning people") — and permission to disable and enable users in
 * the pool, so a deactivated person can no longer sign in. The profiles Lambda gets the same Cognito
 * permission for HR imports that deactivate people.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import { SCIM_BASE } from '../../functions/scim/app';
import { ServiceFunction } from './service-function';

/** The Lambdas' names for the secret and the pool (functions/scim/lambda.ts reads the same). */
const SCIM_TOKEN_SECRET_ARN = 'SCIM_TOKEN_SECRET_ARN';
const USER_POOL_ID = 'USER_POOL_ID';

export interface ScimProps {
  projectRoot: string;
  entry: string;
  table: ITableV2;
  httpApi: HttpApi;
  userPool: IUserPool;
  originSecretValue: string;
  /** Functions that also deactivate people (the profiles API: HR imports). */
  alsoDeactivating: ServiceFunction[];
}

export class Scim extends Construct {
  readonly handler: ServiceFunction;
  readonly token: Secret;

  constructor(scope: Construct, id: string, props: ScimProps) {
    super(scope, id);
    this.token = new Secret(this, 'ProvisioningToken', {
      description: 'Commonplace: the bearer token of the SCIM provisioning client (Entra ID, Okta)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.token).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The token is pasted into the identity provider’s provisioning settings; rotating it is a manual step there too (docs/operations.md, "Provisioning people").',
    });
    this.handler = new ServiceFunction(this, 'Handler', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Commonplace SCIM 2.0 /Users for the provisioning client',
      memorySize: 512,
      timeout: Duration.seconds(15),
      environment: {
        [ENV.serviceName]: 'commonplace-scim',
        [ENV.originSecret]: props.originSecretValue,
        [SCIM_TOKEN_SECRET_ARN]: this.token.secretArn,
      },
    });
    this.handler.bindTable(props.table, 'readWrite');
    this.token.grantRead(this.handler.role);
    for (const fn of [this.handler, ...props.alsoDeactivating]) {
      fn.function.addEnvironment(USER_POOL_ID, props.userPool.userPoolId);
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser'],
          resources: [props.userPool.userPoolArn],
        }),
      );
    }
    const integration = new HttpLambdaIntegration('ScimIntegration', this.handler.function);
    for (const route of props.httpApi.addRoutes({
      path: `${SCIM_BASE}/{proxy+}`,
      methods: [HttpMethod.ANY],
      integration,
      authorizer: new HttpNoneAuthorizer(),
    })) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'SCIM clients authenticate with their own bearer token (a Secrets Manager secret), not a user’s JWT: the Lambda compares it in constant time and answers 401 to anything else.',
      });
    }
  }
}
