/** The table an operator script works on: the running local runtime's, or with `--aws` TABLE_NAME in AWS. */
import { createDocumentClient } from '../../functions/data/table';

export async function tableTarget(aws: boolean) {
  if (aws) {
    const tableName = process.env.TABLE_NAME;
    if (!tableName) throw new Error('TABLE_NAME is not set (and AWS_REGION, and the operator credentials)');
    return { client: createDocumentClient(), tableName, where: `table ${tableName} in AWS` };
  }
  const url = `http://127.0.0.1:${process.env.PORT ?? 3000}/_local/dynamodb`;
  const response = await fetch(url).catch(() => {
    throw new Error(`Cannot reach the local runtime at ${url}. Is \`npm start\` running?`);
  });
  const { endpoint, tableName } = (await response.json()) as { endpoint: string; tableName: string };
  const client = createDocumentClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { client, tableName, where: 'the local runtime' };
}
