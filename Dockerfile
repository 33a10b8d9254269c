# syntax=docker/dockerfile:1
#
# One image for every G-Social process, run from the compiled app in /app:
#   web app (default):  node bin/server.js
#   worker:             node ace worker
#   any admin command:  node ace <command>
# Settings come from the environment at run time (see .env.production.example);
# nothing secret is baked in.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
# Install scripts stay off, as on the machines the lock file was proven on:
# sharp, argon2 and @swc/core ship prebuilt binaries as npm packages.
ENV npm_config_ignore_scripts=true npm_config_audit=false npm_config_fund=false

# Every dependency, for the TypeScript build.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci

# Production dependencies only, for the runtime image.
FROM base AS production-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# `node ace build` compiles to build/ and copies public/ and the views.
FROM deps AS build
COPY . .
RUN node ace build

FROM ${NODE_IMAGE} AS runtime
# Memory for argon2 (7 MiB per hash, one hash per core at a time, config/hash.ts;
# on libuv's thread pool), measured in BENCHMARKS.md (step 9):
# - UV_THREADPOOL_SIZE: the container's CPUs plus one (3 here): hashing is
#   CPU-bound, so more hashing threads than CPUs add memory, not throughput;
#   one hash per CPU at a time, and the spare thread serves file and DNS work
#   (an upload's temporary file, Drive) while every CPU hashes.
# - GLIBC_TUNABLES: a fixed mmap threshold gives each hash buffer its own
#   mapping, returned to the OS when freed (glibc otherwise keeps it in an
#   arena: +60-100 MB that the soak test caught); hugetlb=1 backs those
#   mappings with transparent huge pages (THP "madvise" or "always" on the
#   host) so that fresh buffers do not cost 30% of the hash rate in page faults.
# V8's heap (BENCHMARKS.md, step 24): with no limit below 2 GB, V8 lets the old
# generation grow to 4x what the last full GC kept before it collects again
# (--trace-gc-verbose: "factor 4.0"), the web process's 600-700 MB peak under
# load. A 256 MB limit scales that factor down to 1.3x. The young generation's
# semi-spaces stay at Node's 16 MB: at 8 MB the signed-in reads spent 3.8 s of
# their 96 s in scavenges against 2.6 s, and the signed-in profile page served
# 0.55-0.62x its floor against 0.75-0.82x (BENCHMARKS.md, step 54; 4 MB cost a
# fifth of the anonymous read's throughput). The web process stays
# under 256 MB through the 100,000-user bench with the caches bounded at 52 MB
# (steps 30, 35 and 54). What the app keeps stays well below the limit,
# unlike step 22's 192 MB, where V8 worked
# near the limit and page throughput fell. The web process's old generation
# grows by 1.3x what a full GC kept (--heap-growing-percent=30, on the command
# line: NODE_OPTIONS refuses it) instead of the factor V8 works out itself: the
# peak, at sign-in with the caches full, 265 -> 246-254 MB with the same read ratios
# and full-GC time (BENCHMARKS.md, step 48; 1.15x doubled the full GCs).
ENV NODE_ENV=production \
    TZ=UTC \
    HOST=0.0.0.0 \
    PORT=3333 \
    LOG_LEVEL=info \
    UV_THREADPOOL_SIZE=3 \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16" \
    GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1
WORKDIR /app

COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./

# The code stays root-owned and read-only to the app. Writable by the app user:
# storage/ (uploads, the media volume) and /srv/static (where the release step
# publishes public/static for Nginx). Fresh named volumes take this ownership.
RUN mkdir -p storage /srv/static \
 && chown node:node storage /srv/static

USER node
EXPOSE 3333

# Liveness only: /health/live touches no dependency. Node 20 has fetch built in.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--heap-growing-percent=30", "bin/server.js"]
