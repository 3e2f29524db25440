// The renderer's browser build: the agent console (index.html) and the desktop app's settings
// page (settings.html), served by the server at /agent/ and packaged into the desktop app.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/main/contentSecurityPolicy.ts';

const rendererRoot = fileURLToPath(new URL('./src/renderer', import.meta.url));
/** The agreed layout: the repository's `dist/public/agent`, which the server serves at /agent/. */
export const RENDERER_OUT_DIR = fileURLToPath(new URL('../dist/public/agent', import.meta.url));

// `npm start` serves on 3000; `npm run dev -w @callcenter/desktop` proxies the API and socket there.
// No changeOrigin: the server accepts a page whose Origin matches the Host it was asked for.
const devServerTarget = process.env.CALLCENTER_SERVER_URL ?? 'http://127.0.0.1:3000';

/** The CSP as a meta tag, in the built pages only (the dev server's hot reload needs inline code). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'callcenter-agent-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  root: rendererRoot,
  base: '/agent/',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: RENDERER_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        console: `${rendererRoot}/index.html`,
        settings: `${rendererRoot}/settings.html`,
      },
    },
  },
  server: {
    port: 5174,
    proxy: {
      '/api': devServerTarget,
      '/socket.io': { target: devServerTarget, ws: true },
    },
  },
});
