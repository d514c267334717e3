#!/bin/sh
# Stands in for ssh in unit tests of the SSH transport. A master (ControlMaster=yes) makes its control socket's
# path exist; one without a command (-N) then waits to be ended. Any other call, and a master's own command, skips
# ssh's own arguments up to "--" and the host, and runs the remote command here, so the real remote program runs
# in a real shell without a network.
master=
idle=
for a; do
  case $a in
    ControlPath=*) control=${a#ControlPath=} ;;
    ControlMaster=yes) master=1 ;;
    -N) idle=1 ;;
  esac
done
if [ -n "$master" ]; then
  : >"$control"
  [ -z "$idle" ] || exec sleep 600
fi
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ $# -ge 2 ] || exit 0
shift 2
# PLUMBLINE_TEST_SH: the shell that runs a remote `sh`, as a host whose sh is another shell runs it.
if [ "$1" = sh ] && [ -n "${PLUMBLINE_TEST_SH:-}" ]; then
  shift
  exec $PLUMBLINE_TEST_SH "$@"
fi
exec "$@"
