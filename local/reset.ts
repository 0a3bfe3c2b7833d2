/** `npm run reset`: deletes the local data directory (table, stream log, checkpoints, signing key). */
import fs from 'node:fs';
import path from 'node:path';

const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`Removed ${dataDir}`);
