import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { BACKGROUND_COLOUR, DARK_THEME_COLOUR, THEME_COLOUR } from './src/theme.ts';

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

export default defineConfig({
  plugins: [
    documentHead(),
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
      manifest: {
        id: '/',
        name: 'Customer Support Chat',
        short_name: 'Support',
        description: 'Chat with our support team, even on a patchy connection.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: THEME_COLOUR,
        background_color: BACKGROUND_COLOUR,
        lang: 'en',
        categories: ['business', 'productivity'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      injectManifest: {
        // The manifest is added by the plugin itself.
        globPatterns: ['**/*.{js,css,html,svg,png}'],
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
