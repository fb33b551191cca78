# A stand-in for docker.io/library/rabbitmq, which cannot be pulled where the tests run: Debian's RabbitMQ behind the
# official image's settings as docker/compose.yaml uses them (RABBITMQ_DEFAULT_USER/PASS, data in /var/lib/rabbitmq,
# rabbitmq-diagnostics for the health check).
ARG BASE_IMAGE=localhost/debian-base:bookworm
FROM ${BASE_IMAGE}
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
    && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null \
    && rm -rf /var/lib/apt/lists/*
COPY rabbitmq-entrypoint.sh /usr/local/bin/
EXPOSE 5672
ENTRYPOINT ["/bin/sh", "/usr/local/bin/rabbitmq-entrypoint.sh"]
