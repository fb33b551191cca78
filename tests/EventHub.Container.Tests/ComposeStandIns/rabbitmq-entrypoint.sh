#!/bin/sh
set -e
# As the official image: the default user applies when the node's database is created, on the first start.
printf 'default_user = %s\ndefault_pass = %s\nloopback_users = none\n' "$RABBITMQ_DEFAULT_USER" "$RABBITMQ_DEFAULT_PASS" > /etc/rabbitmq/rabbitmq.conf
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
exec rabbitmq-server
