import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import {
  manifestPath,
  TRANSLATED_MANIFEST_LANGUAGES,
  webManifest,
} from './src/i18n/webManifest.ts';
import { DARK_THEME_COLOUR, THEME_COLOUR } from './src/theme.ts';

// `npm start` serves on 3000; `npm run dev -w @callcenter/pwa` proxies the API and socket there.
const devServerTarget = process.env.CALLCENTER_SERVER_URL ?? 'http://127.0.0.1:3000';

// Built app only: the dev server's hot reload needs inline scripts and styles.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

function documentHead(): Plugin {
  return {
    name: 'callcenter-document-head',
    transformIndexHtml: {
      order: 'pre',
      handler: (_html, context) => [
        // The first whose media matches wins: dark at night, the brand colour otherwise.
        {
          tag: 'meta',
          attrs: {
            name: 'theme-color',
            content: DARK_THEME_COLOUR,
            media: '(prefers-color-scheme: dark)',
          },
          injectTo: 'head',
        },
        { tag: 'meta', attrs: { name: 'theme-color', content: THEME_COLOUR }, injectTo: 'head' },
        ...(context.server === undefined
          ? [
              {
                tag: 'meta',
                attrs: {
                  'http-equiv': 'Content-Security-Policy',
                  content: CONTENT_SECURITY_POLICY,
                },
                injectTo: 'head' as const,
              },
            ]
          : []),
      ],
    },
  };
}

/**
 * The manifests in the other languages, beside the English one the PWA plugin writes (the page
 * links the one of its language: src/i18n/webManifest.ts). Served by the dev server too.
 */
function translatedManifests(): Plugin {
  const files = new Map(
    TRANSLATED_MANIFEST_LANGUAGES.map((language) => [
      manifestPath(language),
      JSON.stringify(webManifest(language)),
    ]),
  );
  return {
    name: 'callcenter-translated-manifests',
    configureServer: (server) => {
      server.middlewares.use((request, response, next) => {
        const manifest = files.get(request.url ?? '');
        if (manifest === undefined) {
          next();
          return;
        }
        response.setHeader('content-type', 'application/manifest+json');
        response.end(manifest);
      });
    },
    generateBundle() {
      for (const [path, manifest] of files) {
        this.emitFile({ type: 'asset', fileName: path.slice(1), source: manifest });
      }
    },
  };
}

export default defineConfig({
  plugins: [
    documentHead(),
    translatedManifests(),
    react(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      // Our own worker (src/sw/sw.ts): Workbox's precache and app-shell routing, and Web Push.
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      // globPatterns below already precaches every icon; listing them again would duplicate.
      includeManifestIcons: false,
      manifest: webManifest('en'),
      injectManifest: {
        // The English manifest is added by the plugin itself; the translated ones are files.
        globPatterns: ['**/*.{js,css,html,svg,png}', 'manifest.*.webmanifest'],
      },
    }),
  ],
  build: {
    outDir: '../dist/public/pwa',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target: devServerTarget },
      '/socket.io': { target: devServerTarget, ws: true },
    },
  },
});
