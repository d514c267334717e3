#!/usr/bin/env bash
# The per-key-process way of reading sysctls (what InSpec's kernel_parameter resource does): one `sysctl -n KEY`
# process per key. Keys come one a line from the file named by $1; each value is printed, as a tool would
# capture it. Keys are never parsed by a shell: they are read as data and passed as one argument each.
# Exits non-zero if any key could not be read.
set -u
status=0
while IFS= read -r key; do
  [ -n "$key" ] || continue
  sysctl -n "$key" || status=1
done < "$1"
exit "$status"
