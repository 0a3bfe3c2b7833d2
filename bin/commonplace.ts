#!/usr/bin/env node
/**
 * CDK entry point (`cdk.json` runs it with tsx). Deploys into the account and region of the caller's
 * credentials when the CLI knows them, and synthesizes environment-agnostic otherwise, so `npm run synth`
 * works offline with no AWS credentials at all.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../lib/app';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

const { app } = createApp({
  projectRoot,
  env: account && region ? { account, region } : undefined,
});
app.synth();
