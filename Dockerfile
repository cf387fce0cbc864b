# chibo's container image (docs/operations.md "Container"). Build where a
# container engine runs:  docker build -t chibo .
# The command is the one the tests start (tests/it/operations.rs):
#   chibo serve --config /etc/chibo/chibo.toml
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin chibo && strip target/release/chibo

FROM debian:bookworm-slim
# ca-certificates: SMTP over TLS; pg_dump for `chibo backup` on PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/chibo --create-home chibo
COPY --from=build /src/target/release/chibo /usr/local/bin/chibo
COPY deploy/chibo.toml /etc/chibo/chibo.toml
USER chibo
WORKDIR /var/lib/chibo
VOLUME /var/lib/chibo
ENV CHIBO_ADDR=0.0.0.0:8080
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ready <&3"]
ENTRYPOINT ["/usr/local/bin/chibo"]
CMD ["serve", "--config", "/etc/chibo/chibo.toml"]
