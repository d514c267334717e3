# A link that holds every packet for a while: a tun device in this network namespace and one in another, and
# packets copied between them after DELAY_MS each way (this kernel has no netem). Prints READY once both devices
# exist; exits when its standard input closes, so it never outlives the test that started it.
# Usage: python3 tun-delay.py NETNS_PATH NAME_HERE NAME_THERE DELAY_MS
import ctypes, fcntl, heapq, os, select, struct, sys, threading, time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
CLONE_NEWNET = 0x40000000

def tun(name):
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    return fd

def watch_parent():
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)

netns, here_name, there_name, delay = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) / 1000
here = tun(here_name)
libc = ctypes.CDLL(None, use_errno=True)
with open(netns) as f:
    if libc.setns(f.fileno(), CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns')
there = tun(there_name)
threading.Thread(target=watch_parent, daemon=True).start()
print('READY', flush=True)
peer = {here: there, there: here}
held = []  # (due, seq, fd to write, packet)
seq = 0
while True:
    timeout = max(0, held[0][0] - time.monotonic()) if held else None
    ready, _, _ = select.select([here, there], [], [], timeout)
    for fd in ready:
        packet = os.read(fd, 65535)
        seq += 1
        heapq.heappush(held, (time.monotonic() + delay, seq, peer[fd], packet))
    now = time.monotonic()
    while held and held[0][0] <= now:
        _, _, out, packet = heapq.heappop(held)
        try:
            os.write(out, packet)
        except OSError:
            pass  # the other end is not up yet: the packet is lost, as on a link that is down
