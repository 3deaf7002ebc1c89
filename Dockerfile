# Kieskaart in a container: built from this checkout with the same scripts
# as `make build`, run as an unprivileged user from a small Debian image.
# Not built on the development machine (it has no container runtime and no
# access to Docker Hub); see docs/operating.md, "Containers".
#
#   docker build -t kieskaart .
#   docker run -p 3000:3000 kieskaart                      # SQLite in a volume
#   docker run -e DATABASE_URL=postgres://… kieskaart       # shared PostgreSQL

# --- build: Rust 1.95 as on the development machine, plus npm for wasm-opt
FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Installs the wasm32 target, wasm-bindgen-cli (cached in this layer's
# cargo home) and the npm build tools, then builds the server and the
# browser bundle, as `make build` does.
RUN scripts/setup.sh build \
 && scripts/build-site.sh

# --- run: the binary and the built site, nothing else
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/kieskaart --create-home kieskaart
COPY --from=build /src/target/release/kieskaart /usr/local/bin/kieskaart
COPY --from=build /src/target/site /srv/kieskaart/site
USER kieskaart
WORKDIR /var/lib/kieskaart
VOLUME /var/lib/kieskaart
ENV KIESKAART_ADDR=0.0.0.0:3000 \
    LEPTOS_SITE_ROOT=/srv/kieskaart/site \
    DATABASE_URL=/var/lib/kieskaart/kieskaart.sqlite3 \
    KIESKAART_LOG_FORMAT=json
EXPOSE 3000
# SIGTERM lets in-flight requests finish (kieskaart serve handles it).
STOPSIGNAL SIGTERM
ENTRYPOINT ["kieskaart"]
CMD ["serve"]
