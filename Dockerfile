# syntax=docker/dockerfile:1
# The PrivacyKit service as a container image: a non-root process in a small runtime image, its data
# and keys outside the image, a health check on /health/ready. From the repository root:
#
#   docker build -t privacykit .                                   # builds the jar inside (Temurin 17)
#   docker build --build-arg JAR_FROM=context -t privacykit .      # takes server/target/privacykit.jar
#
# RUNTIME_IMAGE picks the runtime base (default: the maintained Temurin 17 JRE). A base without a JRE
# (the plain Debian base of the container test, deploy/container/test.sh) gets Debian's
# openjdk-17-jre-headless. Nothing secret is built in: keys, tokens and passwords come at run time.
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG NODE_IMAGE=node:20-bookworm-slim
ARG JAR_FROM=build

# The console's static files (TypeScript, built with the Node image's own npm).
FROM ${NODE_IMAGE} AS console
WORKDIR /src
COPY console/ console/
RUN bash console/build.sh /console-dist

# The shaded service jar, built by the Maven Wrapper with the console folded in.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
COPY --from=console /console-dist server/target/classes/dev/privacykit/server/console
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests -Dconsole.skip=true \
 && cp server/target/privacykit.jar /privacykit.jar

FROM scratch AS jar-build
COPY --from=build /privacykit.jar /privacykit.jar

FROM scratch AS jar-context
COPY server/target/privacykit.jar /privacykit.jar

FROM jar-${JAR_FROM} AS jar

FROM ${RUNTIME_IMAGE} AS runtime
# A JRE only when the base has none; then the service's own user (no login, no home of its own).
RUN set -eu; \
    if ! command -v java >/dev/null 2>&1; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless; \
      rm -rf /var/lib/apt/lists/* /var/cache/apt/*; \
    fi; \
    groupadd --system --gid 10001 privacykit; \
    useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin privacykit; \
    mkdir -p /app /data; \
    chown 10001:10001 /data; \
    chmod 0750 /data

COPY --from=jar --chown=0:0 --chmod=0444 /privacykit.jar /app/privacykit.jar

# Labels last: a new revision does not rebuild the layers above.
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG SOURCE=https://github.com/privacykit/privacykit
LABEL org.opencontainers.image.title="PrivacyKit" \
      org.opencontainers.image.description="Consent, field encryption, JWT authentication and a tamper-evident audit log, as a service" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"

# Production mode: the service refuses to start until an issuer, its keys, the tenants it may
# assert and a root key source are given (see README "Run it with Docker").
ENV PRIVACYKIT_MODE=production \
    PRIVACYKIT_HOST=0.0.0.0 \
    PRIVACYKIT_PORT=8080 \
    PRIVACYKIT_DATA_DIR=/data \
    PRIVACYKIT_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
WORKDIR /data

# /dev/tcp keeps the check free of curl; 200 only when the database answers and the log takes entries.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PRIVACYKIT_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Heap from the container's memory limit; no perf data file (read-only root); exit on OOM so the
# orchestrator restarts a clean process. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-jar", "/app/privacykit.jar"]
CMD ["serve"]
