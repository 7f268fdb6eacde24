#!/usr/bin/env python3
"""The allocation sites of a dhat heap profile (dhat-heap.json, written by a server built with
`--features ssr,dhat-heap` when it stops), largest first, each named by its first frames.

    scripts/heap-top.py dhat-heap.json [gb|mb|tb|eb] [N]

gb: bytes live at the global peak (default); mb: each site's own peak; tb: bytes allocated in
all; eb: bytes still live at the end."""
import collections
import json
import re
import sys

profile = json.load(open(sys.argv[1]))
key = sys.argv[2] if len(sys.argv) > 2 else "gb"
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
frames_table, sites = profile["ftbl"], profile["pps"]
# The allocator's own frames and the standard library's containers say nothing of who allocated.
INNER = re.compile(r"dhat::|alloc::|core::|std::|__rust|hashbrown::raw|<alloc|<core|<std|raw_vec|"
                   r"bytes::bytes_mut|bytes::bytes::|<bytes|unknown")


def named(site):
    out = []
    for i in site["fs"]:
        frame = re.sub(r" \(.*\)$", "", re.sub(r"^0x[0-9a-f]+: ", "", frames_table[i]))
        if not out and INNER.search(frame):
            continue
        out.append(frame[:110])
        if len(out) == 3:
            break
    return " <- ".join(out) or "(no frames)"


by_site = collections.Counter()
for site in sites:
    by_site[named(site)] += site[key]
total = sum(site[key] for site in sites)
print(f"{key}: {total / 1048576:.1f} MiB in all, over {len(sites)} allocation sites "
      f"(global peak at {profile.get('tg')} of {profile.get('te')} µs)")
for name, size in by_site.most_common(top):
    print(f"{size / 1048576:8.2f} MiB  {name}")
