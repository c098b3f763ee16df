# Andecha image: the builder installs everything and builds the web app; the final stage holds production
# dependencies only (tsx runs the server's TypeScript and is one of them), the built web app, and runs as `node`.
FROM node:20-bookworm-slim AS builder
WORKDIR /app
# everything first: npm ci's postinstall builds the web app (web/ → web/dist) with the devDependencies' vite
COPY . .
RUN npm ci && test -f web/dist/index.html

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ANDECHA_DATA_DIR=/data \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# postinstall's web build finds no vite without devDependencies and skips: web/dist comes from the builder
RUN npm ci --omit=dev && npm cache clean --force
COPY server ./server
COPY schemas ./schemas
COPY designs ./designs
COPY tsconfig.json ./
COPY --from=builder /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["npm", "start"]
