#!/bin/sh
# Stands in for ssh in unit tests of the SSH transport. A master (-N) makes its control socket's path exist and
# waits to be ended; any other call skips ssh's own arguments up to "--" and the host, and runs the remote
# command here, so the real remote program runs in a real shell without a network.
master=
for a; do
  case $a in
    ControlPath=*) control=${a#ControlPath=} ;;
    -N) master=1 ;;
  esac
done
if [ -n "$master" ]; then
  : >"$control"
  exec sleep 600
fi
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ $# -ge 2 ] || exit 0
shift 2
exec "$@"
