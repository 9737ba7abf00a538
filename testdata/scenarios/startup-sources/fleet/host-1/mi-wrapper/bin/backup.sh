#!/bin/sh
# takes a backup; no start-up flags here
tar czf /tmp/backup.tgz ../conf # -DportOffset=30
