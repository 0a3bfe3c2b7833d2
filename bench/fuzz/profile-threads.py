"""Runs a Python script (here Schemathesis' `st`) with cProfile in every thread, for bench/fuzz/profile.ts.

cProfile alone sees only the main thread, and Schemathesis generates and sends cases in worker threads.
The merged statistics go to $PYPROF_OUT (read them with `python3 -m pstats <file>`).
"""

import atexit
import cProfile
import os
import pstats
import runpy
import sys
import threading

profiles = []


def _start(frame, event, arg):
    sys.setprofile(None)
    profile = cProfile.Profile()
    profiles.append(profile)
    profile.enable()


def _dump():
    main.disable()
    stats = None
    for profile in profiles:
        profile.create_stats()
        stats = pstats.Stats(profile) if stats is None else stats.add(profile)
    stats.dump_stats(os.environ["PYPROF_OUT"])


threading.setprofile(_start)
main = cProfile.Profile()
profiles.append(main)
atexit.register(_dump)
script = sys.argv[1]
sys.argv = sys.argv[1:]
main.enable()
runpy.run_path(script, run_name="__main__")
