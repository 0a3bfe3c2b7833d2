/**
 * The web client build. `root` is frontend/, the output frontend/dist, which the local runtime serves
 * at `/` (and S3 + CloudFront in AWS) next to a runtime config.json, so one build deploys anywhere.
 * The editor (with the shared Markdown renderer) and the secondary screens are separate chunks.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest tells the bundle budget test which chunks the first page load needs.
    manifest: true,
    target: 'es2022',
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        // Libraries in long-cached chunks of their own (they change less often than the app). The
        // Markdown renderer's libraries stay out of them: only the editor chunks load those, and only
        // the wiki page screen loads the diff.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/](?!marked|xss|cssfilter|diff[\\/])/ },
          ],
        },
      },
    },
  },
  // The editor preview imports the server's Markdown renderer from functions/.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
