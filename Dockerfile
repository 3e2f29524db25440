# syntax=docker/dockerfile:1
# The server image: builds the clients and the server bundle, then runs plain Node as a
# non-root user with production dependencies only.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY client/package.json client/
COPY server/package.json server/
COPY devstack/package.json devstack/
COPY desktop/package.json desktop/
COPY pwa/package.json pwa/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 STATIC_DIR=/app/dist/public
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
RUN npm ci --omit=dev --no-audit --no-fund --workspace @callcenter/server \
  && npm cache clean --force
COPY --from=build /app/dist/server dist/server
COPY --from=build /app/dist/public dist/public
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM stops the node gracefully (in-flight events finish, presence is left).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
