"""Run one command and print its wall time and peak resident memory as JSON.

Usage: measure.py CMD [ARG...]   (exits with the command's status)
"""

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    started = time.perf_counter()
    status = subprocess.call(sys.argv[1:])
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"wall_s": round(wall, 2), "peak_rss_mb": round(peak_kib / 1024, 1), "status": status}))
    return status


if __name__ == "__main__":
    sys.exit(main())
