"""Ends one process when the process that started this watchdog ends, however it ends.

Run as ``python -I _watchdog.py PID`` with a pipe as standard input whose write end only the
starting process holds. End of file on that pipe means the starting process is gone (it exited,
crashed or was killed with SIGKILL): the watchdog then sends PID a SIGTERM and, after a grace
period, a SIGKILL. It holds a pidfd of PID from the start, so a recycled process id is never
signalled. Standard library only, so it starts in milliseconds and imports nothing of callscribe.
"""

import os
import select
import signal
import sys

GRACE_SECONDS = 10.0


def main() -> int:
    try:
        target = os.pidfd_open(int(sys.argv[1]))
    except ProcessLookupError:
        return 0
    print("ready", flush=True)
    while os.read(0, 4096):  # blocks until the starting process is gone
        pass
    try:
        signal.pidfd_send_signal(target, signal.SIGTERM)
        ended, _, _ = select.select([target], [], [], GRACE_SECONDS)
        if not ended:
            signal.pidfd_send_signal(target, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it had already ended
    return 0


if __name__ == "__main__":
    sys.exit(main())
