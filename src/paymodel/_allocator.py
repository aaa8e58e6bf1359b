"""Keep freed memory for the next block: fresh pages for every block cost a third of the kernel.

Every block of a simulation allocates the same few dozen arrays of 65,536 floats (512 KiB
each) and frees them at its end. glibc's ``malloc`` gives freed memory at the top of its heap
back to the operating system as soon as more than about twice the largest array is free,
so the next block's arrays are fresh pages, each 4 KiB of them a page fault that the kernel
must zero: measured on the benchmark model, a third of the model's time per block. Values
never depend on where an array lives, so results are the same either way, bit for bit.

`keep_freed_memory` asks glibc to keep freed memory for reuse, as much as one block uses
(at least `TRIM_THRESHOLD_BYTES`: a scenario with many contingents holds many more arrays
at once), and to serve arrays up to `MMAP_THRESHOLD_BYTES` from the heap (larger ones are
still mapped apart and returned at once). Memory in use is unchanged; a process holds at
most that much more while idle. It does nothing on a system other than
Linux with glibc, and nothing when the environment already sets ``MALLOC_TRIM_THRESHOLD_``
or ``MALLOC_MMAP_THRESHOLD_`` (the user's choice wins).
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["MMAP_THRESHOLD_BYTES", "TRIM_THRESHOLD_BYTES", "keep_freed_memory"]

#: Freed memory glibc may keep for reuse before returning it to the system, at least [bytes].
TRIM_THRESHOLD_BYTES = 64 * 2**20
#: Arrays up to this size come from the heap, where freed memory is reused [bytes].
MMAP_THRESHOLD_BYTES = 4 * 2**20

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

#: The trim threshold set so far in this process (0: none).
_kept = 0


def keep_freed_memory(block_bytes: int = 0) -> bool:
    """Ask glibc to keep freed memory for the next block (a process-wide setting).

    Parameters
    ----------
    block_bytes
        What one block's arrays take [bytes]; glibc keeps at least that much, and at least
        `TRIM_THRESHOLD_BYTES`. A call asking for less than an earlier one changes nothing.

    Returns
    -------
    bool
        True when glibc keeps freed memory for reuse (set now or by an earlier call).
    """
    global _kept  # a process-wide setting
    wanted = max(TRIM_THRESHOLD_BYTES, min(block_bytes, 2**31 - 1))
    if _kept >= wanted:
        return True
    if not sys.platform.startswith("linux") or any(
        name in os.environ for name in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
    ):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # Setting the trim threshold turns off glibc's own adjustment of the mmap threshold,
    # so both are set: the mmap threshold first.
    if mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) and mallopt(_M_TRIM_THRESHOLD, wanted):
        _kept = wanted
    return _kept > 0
