#!/bin/sh
# starts the MI with its own offset
cd "$(dirname "$0")"
exec ./micro-integrator.sh \
  -DportOffset="20" \
  "$@"
