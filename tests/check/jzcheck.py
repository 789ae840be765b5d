#!/usr/bin/env python3
"""jzcheck: verify a jzsim run's outputs against the documented contract.

    jzcheck.py PLATFORM.yaml OUT_DIR [--experiment EXP.yaml] [--max-violations N]

--max-violations N prints at most N lines of each kind of violation (all are counted).
PLATFORM `-` takes the platform the experiment file names.
Written from README.md, docs/formats.md, platforms/README.md and DESIGN.md only: it shares no
code with the engine (Python standard library plus python3-yaml to read the inputs). It reads
OUT_DIR/{jobs.csv,summary.json,queues.csv,utilisation.csv} and prints one line per violation,
`jzcheck: JOB_ID @ TIME: what`; exit 0 clean, 1 violations, 2 bad input. docs/checking.md lists
every invariant and what is necessary-only (per-node core shares are not in jobs.csv).
Its inputs are read by jzinputs.py, summary.json is recomputed by jzsummary.py.
"""
import csv
import heapq
import json
import math
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
from jzinputs import BadInput, Platform, boolean, close, experiment_platform, \
    next_window_open, window_at
from jzsummary import FINAL_STATES, check_summary

# The reject reason of the later segments of a flow job's chain whose work is done.
CHAIN_DONE = "not needed: its chain's work ended in an earlier segment"

CHAIN = re.compile(r"^(.*)/([0-9]+)$", re.DOTALL)
KIND = re.compile(r"[0-9][0-9.e+]*")


def fail_input(msg):
    sys.stderr.write("jzcheck: error: %s\n" % msg)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------
# Outputs

JOB_COLUMNS = ("job_id", "workload_name", "submission_time", "requested_number_of_resources",
               "requested_time", "success", "final_state", "starting_time", "execution_time",
               "finish_time", "waiting_time", "turnaround_time", "stretch",
               "allocated_resources", "partition", "queue", "user", "account", "gpus", "cores",
               "nodes", "reject_reason", "held_reason", "reservation", "trace_queue")


class Job:
    __slots__ = ("id", "wl", "submit", "req", "state", "start", "exec", "finish", "nodes",
                 "part", "queue", "user", "account", "gpus", "cores", "nnodes", "reject",
                 "held", "res", "tq", "ran", "lb_cores", "lb_gpus")


def parse_nodes(text):
    out = []
    for tok in text.split():
        a, _, b = tok.partition("-")
        lo = int(a)
        hi = int(b) if b else lo
        out.extend(range(lo, hi + 1))
    return out


class Checker:
    def __init__(self, plat, out_dir, limit):
        self.p = plat
        self.dir = out_dir
        self.limit = limit
        self.count = 0
        self.kinds = {}
        self.hidden = 0
        self.percore_wls = set()
        self.head_rule = True  # FCFS and EASY in submission order only (docs/checking.md)

    def v(self, job, t, what):
        self.count += 1
        if self.limit:   # at most `limit` lines of each kind (the message, numbers masked)
            kind = " ".join(KIND.sub("N", what).split()[:4])
            seen = self.kinds.get(kind, 0) + 1
            self.kinds[kind] = seen
            if seen > self.limit:
                self.hidden += 1
                return
        tt = "-" if t is None else ("%.17g" % t)
        line = "%s @ %s: %s" % (job if job is not None else "-", tt, what)
        # One line per violation, whatever bytes an id holds.
        line = line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        sys.stdout.write("jzcheck: %s\n" % line)

    # -- jobs.csv ----------------------------------------------------------------------------
    def read_jobs(self):
        path = os.path.join(self.dir, "jobs.csv")
        try:
            f = open(path, newline="")
        except OSError as e:
            raise BadInput("%s: %s" % (path, e.strerror))
        with f:
            rd = csv.reader(f)
            header = next(rd, None)
            if header is None or any(c not in header for c in JOB_COLUMNS):
                raise BadInput("%s: header lacks the documented columns" % path)
            ix = [header.index(c) for c in JOB_COLUMNS]
            jobs = []
            for ln, row in enumerate(rd, start=2):
                if len(row) != len(header):
                    raise BadInput("%s:%d: %d cells, header has %d" % (path, ln, len(row), len(header)))
                c = [row[i] for i in ix]
                j = Job()
                try:
                    (j.id, j.wl) = c[0], c[1]
                    j.submit, j.req = float(c[2]), float(c[4])
                    success, j.state = int(c[5]), c[6]
                    j.start, j.exec, j.finish = float(c[7]), float(c[8]), float(c[9])
                    wait, turn, stretch = float(c[10]), float(c[11]), float(c[12])
                    j.nodes = parse_nodes(c[13])
                    j.part, j.queue, j.user, j.account = c[14], c[15], c[16], c[17]
                    j.gpus, j.cores, j.nnodes = int(c[18]), int(c[19]), int(c[20])
                    j.reject, j.held, j.res, j.tq = c[21], c[22], c[23], c[24]
                except ValueError as e:
                    raise BadInput("%s:%d: %s" % (path, ln, e))
                j.ran = j.state != "REJECTED"
                self.check_row(j, success, wait, turn, stretch)
                jobs.append(j)
        return jobs

    def check_row(self, j, success, wait, turn, stretch):
        v, p = self.v, self.p
        if j.state not in FINAL_STATES:
            v(j.id, None, "final_state '%s' is not a final state" % j.state)
        if success != (1 if j.state == "COMPLETED_SUCCESSFULLY" else 0):
            v(j.id, None, "success %d with final_state %s" % (success, j.state))
        if j.part not in p.parts:
            v(j.id, None, "unknown partition '%s'" % j.part)
            j.ran = False
            return
        if not j.ran:
            if not j.reject:
                v(j.id, j.submit, "REJECTED without a reject_reason")
            if j.nodes:
                v(j.id, j.submit, "REJECTED job holds nodes")
            for name, x in (("start", j.start), ("execution", j.exec), ("finish", j.finish),
                            ("waiting", wait), ("turnaround", turn), ("stretch", stretch)):
                if x != -1:
                    v(j.id, j.submit, "REJECTED job has %s_time %g, not -1" % (name, x))
            return
        if j.reject:
            v(j.id, j.start, "ran but has reject_reason '%s'" % j.reject)
        if j.start < j.submit:
            v(j.id, j.start, "starts before its submission %g" % j.submit)
        if not close(j.finish, j.start + j.exec):
            v(j.id, j.finish, "finish %g != start %g + execution %g" % (j.finish, j.start, j.exec))
        if not close(wait, j.start - j.submit):
            v(j.id, j.start, "waiting_time %g != start - submit = %g" % (wait, j.start - j.submit))
        if not close(turn, j.finish - j.submit):
            v(j.id, j.finish, "turnaround_time %g != finish - submit = %g" % (turn, j.finish - j.submit))
        if j.exec > 0 and not close(stretch, turn / j.exec):
            v(j.id, j.finish, "stretch %.17g != turnaround / execution = %.17g" % (stretch, turn / j.exec))
        if j.exec > j.req * (1 + 1e-12):
            v(j.id, j.finish, "ran %g s, beyond its requested time %g (walltime not enforced)" % (j.exec, j.req))
        if j.state == "COMPLETED_WALLTIME_REACHED" and not close(j.exec, j.req):
            v(j.id, j.finish, "killed at walltime after %g s, requested %g" % (j.exec, j.req))
        part = p.parts[j.part]
        if len(set(j.nodes)) != len(j.nodes):
            v(j.id, j.start, "allocated_resources repeats a node")
        if len(j.nodes) != j.nnodes:
            v(j.id, j.start, "nodes %d but %d allocated node ids" % (j.nnodes, len(j.nodes)))
        lo, hi = part["first"], part["first"] + part["n"]
        outside = [n for n in j.nodes if not lo <= n < hi]
        if outside:
            v(j.id, j.start, "node %d is not in partition %s (%d-%d)" % (outside[0], j.part, lo, hi - 1))
            j.nodes = [n for n in j.nodes if lo <= n < hi]
        k = len(j.nodes)
        if k == 0:
            v(j.id, j.start, "ran on no node")
            j.ran = False
            return
        # The least a job can hold on each of its k nodes: what the others cannot hold.
        j.lb_cores = max(1, j.cores - (k - 1) * part["cores"])
        j.lb_gpus = max(1 if j.gpus >= k else 0, j.gpus - (k - 1) * part["gpus"])
        if j.cores < k:
            v(j.id, j.start, "%d cores over %d nodes: a node holds none" % (j.cores, k))
        if j.cores > k * part["cores"] or j.gpus > k * part["gpus"]:
            v(j.id, j.start, "%d cores / %d GPUs do not fit on its %d nodes" % (j.cores, j.gpus, k))
        q = p.queues.get(j.queue)
        if q is None:
            v(j.id, j.start, "unknown queue '%s'" % j.queue)
            return
        if j.part not in q["partitions"]:
            v(j.id, j.start, "queue %s does not serve partition %s" % (j.queue, j.part))
        if q["max_walltime"] is not None and j.req > q["max_walltime"] * (1 + 1e-12):
            v(j.id, j.start, "requested %g s above %s's max_walltime %g" % (j.req, j.queue, q["max_walltime"]))
        for key, have in (("max_gpus_per_job", j.gpus), ("max_cores_per_job", j.cores),
                          ("max_nodes_per_job", k)):
            if q[key] is not None and have > q[key]:
                v(j.id, j.start, "%d above %s %s %d" % (have, j.queue, key, q[key]))

    # -- chains and ids ----------------------------------------------------------------------
    def check_chains(self, jobs, split):
        seen = {}
        chains = {}
        for j in jobs:
            key = (j.wl, j.id)
            if key in seen:
                self.v(j.id, j.submit, "job id repeated in workload %s" % j.wl)
            seen[key] = j
            m = CHAIN.match(j.id)
            if not j.id or (m and not m.group(1)):
                self.v(j.id, j.submit, "empty job id (chain segments are ID/k of the trace's id)")
            if m:
                chains.setdefault((j.wl, m.group(1)), []).append((int(m.group(2)), j))
        nseg = 0
        self.chain_tw = []  # (turnaround, summed wait) of each chain whose first segment ran
        for (wl, base), segs in chains.items():
            nseg += len(segs)
            if not split:
                self.v(segs[0][1].id, None, "chain segment without --split-long-jobs")
            if (wl, base) in seen:
                self.v(base, None, "id used both as a job and as a chain in workload %s" % wl)
            segs.sort(key=lambda s: s[0])
            ks = [s[0] for s in segs]
            if ks != list(range(1, len(segs) + 1)):
                self.v(base, None, "chain segments %s are not 1..%d" % (
                    " ".join("%s/%d" % (base, x) for x in ks[:8]), len(segs)))
                continue
            for (_, a), (_, b) in zip(segs, segs[1:]):
                # A flow job's chain whose work ended: every later segment is rejected at once
                # as not needed (docs/models.md), each at the same instant.
                if not a.ran and a.reject == CHAIN_DONE:
                    if b.reject != CHAIN_DONE or not close(b.submit, a.submit):
                        self.v(b.id, b.submit, "segment after a chain's end is not rejected with it")
                elif not a.ran:
                    self.v(b.id, b.submit, "segment follows a rejected segment")
                elif not close(b.submit, a.finish):
                    self.v(b.id, b.submit, "segment submitted at %g, its predecessor ended at %g" % (b.submit, a.finish))
                if a.part != b.part:
                    self.v(b.id, b.submit, "segment on partition %s, its predecessor on %s" % (b.part, a.part))
            ran = [j for _, j in segs if j.ran]
            if segs[0][1].ran:
                self.chain_tw.append((max(j.finish for j in ran) - segs[0][1].submit,
                                      math.fsum(j.start - j.submit for j in ran)))
        return len(chains), nseg

    # -- one sweep over time: capacity, limits, dedicated allocations, series ----------------
    def sweep(self, jobs, default_account_wls):
        p, v = self.p, self.v
        ncores = [0] * p.total_nodes
        ngpus = [0] * p.total_nodes
        cap_c = [0] * p.total_nodes
        cap_g = [0] * p.total_nodes
        for pa in p.parts.values():
            for n in range(pa["first"], pa["first"] + pa["n"]):
                cap_c[n], cap_g[n] = pa["cores"], pa["gpus"]
        usage = {}           # (queue, 'u'|'a', who) -> [jobs, gpus, cores]
        qstate = {q: [0, 0, 0, 0] for q in p.queues}      # waiting jobs, cores, gpus, running
        pstate = {pa: [0, 0, 0] for pa in p.parts}        # busy cores, gpus, running jobs
        qseries = {q: [] for q in p.queues}
        pseries = {pa: [] for pa in p.parts}
        # Member jobs waiting (submitted <= t < start) per allocation, for lend_idle.
        import bisect
        members = {}
        for name, r in p.res.items():
            ms = [j for j in jobs if j.ran and j.part == r["partition"] and j.account in r["accounts"]]
            members[name] = (sorted(j.submit for j in ms), sorted(j.start for j in ms))

        def waiting_members(name, t):
            subs, starts = members[name]
            return bisect.bisect_right(subs, t) - bisect.bisect_right(starts, t)

        ev = []
        for i, j in enumerate(jobs):
            if not j.ran:
                continue
            ev.append((j.submit, 1, i))
            ev.append((j.start, 2, i))
            ev.append((j.finish, 0 if j.finish > j.start else 3, i))
        ev.sort()
        touched_q, touched_p = set(), set()
        # The head check (docs/checking.md): CPU partitions without dedicated allocations.
        head_parts = {name: dict(heap=[], free=pa["n"], cpn=pa["cores"])
                      for name, pa in p.parts.items()
                      if self.head_rule and pa["gpus"] == 0
                      and not any(r["partition"] == name for r in p.res.values())}
        njobs = [0] * p.total_nodes
        self.head_reported = set()
        self.head_skipped = 0
        k, n_ev = 0, len(ev)
        while k < n_ev:
            t = ev[k][0]
            while k < n_ev and ev[k][0] == t:
                _, kind, i = ev[k]
                k += 1
                j = jobs[i]
                qs = qstate.get(j.queue)
                if kind == 1:
                    hp = head_parts.get(j.part)
                    if hp is not None:
                        q = p.queues.get(j.queue)
                        heapq.heappush(hp["heap"], (-(q["priority"] if q else 0), j.submit, i))
                        touched_p.add(j.part)
                    if qs is not None:
                        qs[0] += 1; qs[1] += j.cores; qs[2] += j.gpus
                        touched_q.add(j.queue)
                    continue
                sign = 1 if kind == 2 else -1
                lc, lg = sign * j.lb_cores, sign * j.lb_gpus
                hp = head_parts.get(j.part)
                for n in j.nodes:
                    ncores[n] += lc
                    ngpus[n] += lg
                    if hp is not None:
                        if sign > 0:
                            if njobs[n] == 0:
                                hp["free"] -= 1
                            njobs[n] += 1
                        else:
                            njobs[n] -= 1
                            if njobs[n] == 0:
                                hp["free"] += 1
                ps = pstate[j.part]
                ps[0] += sign * j.cores; ps[1] += sign * j.gpus; ps[2] += sign
                touched_p.add(j.part)
                if qs is not None:
                    if sign > 0:
                        qs[0] -= 1; qs[1] -= j.cores; qs[2] -= j.gpus
                    qs[3] += sign
                    touched_q.add(j.queue)
                keys = []
                if j.user:
                    keys.append((j.queue, "user", j.user))
                if j.account and not (j.account == j.wl and j.wl in default_account_wls):
                    keys.append((j.queue, "account", j.account))
                for key in keys:
                    u = usage.setdefault(key, [0, 0, 0])
                    u[0] += sign; u[1] += sign * j.gpus; u[2] += sign * j.cores
                if sign < 0:
                    continue
                self.check_start(j, t, ncores, ngpus, cap_c, cap_g)
                q = p.queues.get(j.queue)
                if q is not None:
                    for key in keys:
                        u = usage[key]
                        for what, have in (("jobs", u[0]), ("gpus", u[1]), ("cores", u[2])):
                            lim = q["max_%s_per_%s" % (what, key[1])]
                            if lim is not None and have > lim:
                                v(j.id, t, "%s %s runs %d %s in %s, above max_%s_per_%s %d" % (
                                    key[1], key[2], have, what, j.queue, what, key[1], lim))
                lo_n, hi_n = min(j.nodes), max(j.nodes)
                for name, r in p.res.items():
                    if r["partition"] == j.part and ((lo_n < r["hi"] and hi_n >= r["lo"]) or (
                            not r["overflow"] and j.account in r["accounts"])):
                        self.check_reservation(j, t, name, r, waiting_members)
            for q in touched_q:
                s = tuple(qstate[q])
                ser = qseries[q]
                if (ser[-1][1] if ser else (0, 0, 0, 0)) != s:
                    ser.append((t, s))
            for pa in touched_p:
                s = tuple(pstate[pa])
                ser = pseries[pa]
                if (ser[-1][1] if ser else (0, 0, 0)) != s:
                    ser.append((t, s))
            for pa in touched_p:
                if pa in head_parts:
                    self.check_head(jobs, pa, head_parts[pa], t, usage, default_account_wls,
                                    p.parts[pa]["n"] * p.parts[pa]["cores"] - pstate[pa][0])
            touched_q.clear()
            touched_p.clear()
        return qseries, pseries

    HEAD_SCAN = 200

    def check_head(self, jobs, part, hp, t, usage, default_account_wls, free_cores):
        """After an instant, the first waiting job of a pool that no limit holds now does not
        fit (both policies start it when it does). Fits: enough wholly free nodes for it, or,
        for a job known to take cores anywhere (SWF without --procs-per-node, in a queue
        without max_nodes_per_job), enough free cores."""
        heap = hp["heap"]
        while heap and jobs[heap[0][2]].start <= t:
            heapq.heappop(heap)
        if not heap or free_cores <= 0:
            return
        popped, tied, key = [], [], None
        while heap and len(popped) < self.HEAD_SCAN:
            item = heapq.heappop(heap)
            popped.append(item)
            j = jobs[item[2]]
            if j.start <= t:
                popped.pop()
                continue
            if key is not None and item[:2] != key:
                break
            if not self.held_now(j, usage, default_account_wls):
                key = item[:2]
                tied.append(j)
        else:
            if heap and key is None:
                self.head_skipped += 1
        for item in popped:
            heapq.heappush(heap, item)
        if not tied:
            return
        def fits(j):
            if j.wl in self.percore_wls and self.p.queues[j.queue]["max_nodes_per_job"] is None:
                return j.cores <= free_cores
            return -(-j.cores // hp["cpn"]) <= hp["free"]
        if all(fits(j) for j in tied) and tied[0].id not in self.head_reported:
            self.head_reported.add(tied[0].id)
            self.v(tied[0].id, t, "waits as the first job of %s that no limit holds, though it fits: %d free cores, %d wholly free nodes, it needs %d cores" % (
                part, free_cores, hp["free"], tied[0].cores))

    def held_now(self, j, usage, default_account_wls):
        q = self.p.queues.get(j.queue)
        if q is None:
            return True
        keys = []
        if j.user:
            keys.append(("user", j.user))
        if j.account and not (j.account == j.wl and j.wl in default_account_wls):
            keys.append(("account", j.account))
        for kind, who in keys:
            u = usage.get((j.queue, kind, who), (0, 0, 0))
            for lim, have in ((q["max_jobs_per_" + kind], u[0] + 1), (q["max_gpus_per_" + kind], u[1] + j.gpus),
                              (q["max_cores_per_" + kind], u[2] + j.cores)):
                if lim is not None and have > lim:
                    return True
        return False

    def check_start(self, j, t, ncores, ngpus, cap_c, cap_g):
        free_c = free_g = 0
        over = []
        for n in j.nodes:
            fc, fg = cap_c[n] - ncores[n], cap_g[n] - ngpus[n]
            if fc < 0 or fg < 0:
                over.append(n)
            free_c += fc
            free_g += fg
        for n in over[:3]:
            self.v(j.id, t, "node %d over capacity: at least %d/%d cores, %d/%d GPUs" % (
                n, ncores[n], cap_c[n], ngpus[n], cap_g[n]))
        if over:
            return
        # The free room of its nodes (others' least shares taken out) must hold the whole job.
        k = len(j.nodes)
        free_c += k * j.lb_cores
        free_g += k * j.lb_gpus
        if free_c < j.cores or free_g < j.gpus:
            self.v(j.id, t, "its nodes hold at most %d cores / %d GPUs free beside other jobs, it has %d / %d" % (
                free_c, free_g, j.cores, j.gpus))

    def check_reservation(self, j, t, name, r, waiting_members):
        inside = [n for n in j.nodes if r["lo"] <= n < r["hi"]]
        member = j.part == r["partition"] and j.account in r["accounts"]
        w = window_at(r, t)
        if w is not None and member and not r["overflow"] and len(inside) < len(j.nodes):
            self.v(j.id, t, "member of %s (overflow: false) runs outside its nodes while the window is open" % name)
        if not inside:
            return
        req_end = t + j.req
        if w is None:
            nxt = next_window_open(r, t)
            if req_end > nxt * (1 + 1e-15):
                self.v(j.id, t, "on %s's node %d outside a window with requested end %g after the window opening at %g" % (
                    name, inside[0], req_end, nxt))
            return
        if member:
            return
        if not r["lend_idle"]:
            self.v(j.id, t, "non-member on %s's node %d while its window %g..%g is open (no lend_idle)" % (
                name, inside[0], w[0], w[1]))
            return
        nw = waiting_members(name, t)
        if nw > 0:
            self.v(j.id, t, "borrows %s's node %d while %d of its accounts' jobs wait" % (name, inside[0], nw))
        nxt = next_window_open(r, t)
        if req_end > nxt * (1 + 1e-15):
            self.v(j.id, t, "borrows %s's node %d with requested end %g after the next window opens at %g" % (
                name, inside[0], req_end, nxt))

    # -- queues.csv and utilisation.csv against the recomputed step series -------------------
    def read_series(self, fname, header, keyset):
        path = os.path.join(self.dir, fname)
        try:
            f = open(path, newline="")
        except OSError as e:
            raise BadInput("%s: %s" % (path, e.strerror))
        out = {}
        with f:
            rd = csv.reader(f)
            if next(rd, None) != header:
                raise BadInput("%s: header is not %s" % (path, ",".join(header)))
            prev_t = -math.inf
            for ln, row in enumerate(rd, start=2):
                try:
                    t = float(row[0])
                    vals = tuple(map(int, row[2:]))
                except (ValueError, IndexError):
                    raise BadInput("%s:%d: malformed row" % (path, ln))
                if len(vals) != len(header) - 2:
                    raise BadInput("%s:%d: malformed row" % (path, ln))
                if t < prev_t:
                    self.v(None, t, "%s:%d: time goes backwards" % (fname, ln))
                prev_t = t
                if row[1] not in keyset:
                    self.v(None, t, "%s:%d: unknown name '%s'" % (fname, ln, row[1]))
                    continue
                ser = out.setdefault(row[1], [])
                if ser and ser[-1][0] == t:
                    ser[-1] = (t, vals)          # the last row of an instant holds
                else:
                    ser.append((t, vals))
        return out

    def compare_series(self, fname, name, theirs, mine, zero, labels):
        def steps(ser):
            out, last = [], zero
            for t, s in ser:
                if s != last:
                    out.append((t, s))
                    last = s
            return out
        a, b = steps(theirs), steps(mine)
        for x, y in zip(a, b):
            if x != y:
                t = min(x[0], y[0])
                self.v(None, t, "%s: %s: from t=%g the file says %s, jobs.csv gives %s from t=%g" % (
                    fname, name, x[0], fmt(labels, x[1]), fmt(labels, y[1]), y[0]))
                return
        if len(a) != len(b):
            extra = a[len(b)] if len(a) > len(b) else b[len(a)]
            self.v(None, extra[0], "%s: %s: %d changes in the file, %d recomputed from jobs.csv (first extra at t=%g: %s)" % (
                fname, name, len(a), len(b), extra[0], fmt(labels, extra[1])))

    def check_series(self, qseries, pseries):
        p = self.p
        qfile = self.read_series("queues.csv", ["time", "queue", "waiting_jobs", "waiting_cores",
                                                "waiting_gpus", "running_jobs", "held_jobs"], p.queues)
        for q, ser in qfile.items():
            for t, s in ser:
                if not 0 <= s[4] <= s[0]:
                    self.v(None, t, "queues.csv: %s: %d held jobs of %d waiting" % (q, s[4], s[0]))
                    break
        for q in p.queues:
            self.compare_series("queues.csv", q, [(t, s[:4]) for t, s in qfile.get(q, [])],
                                qseries[q], (0, 0, 0, 0),
                                ("waiting_jobs", "waiting_cores", "waiting_gpus", "running_jobs"))
        ufile = self.read_series("utilisation.csv", ["time", "partition", "busy_cores", "total_cores",
                                                     "busy_gpus", "total_gpus", "running_jobs"], p.parts)
        for pa, ser in ufile.items():
            tc, tg = p.parts[pa]["n"] * p.parts[pa]["cores"], p.parts[pa]["n"] * p.parts[pa]["gpus"]
            for t, s in ser:
                if s[1] != tc or s[3] != tg:
                    self.v(None, t, "utilisation.csv: %s: totals %d cores %d GPUs, the platform has %d, %d" % (
                        pa, s[1], s[3], tc, tg))
                    break
        for pa in p.parts:
            self.compare_series("utilisation.csv", pa,
                                [(t, (s[0], s[2], s[4])) for t, s in ufile.get(pa, [])],
                                pseries[pa], (0, 0, 0), ("busy_cores", "busy_gpus", "running_jobs"))


def fmt(labels, vals):
    return " ".join("%s=%s" % (k, x) for k, x in zip(labels, vals))


def check_membership(c, plat, jobs):
    for j in jobs:
        want = sorted(n for n, r in plat.res.items()
                      if r["partition"] == j.part and j.account in r["accounts"])
        if j.res and j.res not in plat.res:
            c.v(j.id, None, "unknown reservation '%s'" % j.res)
        elif j.res and j.account not in plat.res[j.res]["accounts"]:
            c.v(j.id, None, "reservation %s does not list account %s" % (j.res, j.account))
        elif want and j.res not in want:
            c.v(j.id, None, "account %s is a member of %s but reservation says '%s'" % (
                j.account, want[0], j.res))


def main(argv):
    args, exp, limit = [], None, 0
    it = iter(argv)
    for a in it:
        if a == "--experiment":
            exp = next(it, None)
        elif a == "--max-violations":
            limit = int(next(it, "0"))
        elif a.startswith("-") and a != "-":
            fail_input("unknown option '%s'" % a)
        else:
            args.append(a)
    if len(args) != 2 or (exp is None and "--experiment" in argv):
        fail_input("usage: jzcheck.py PLATFORM.yaml OUT_DIR [--experiment EXP.yaml] [--max-violations N]")
    try:
        if args[0] == "-" and exp is None:
            raise BadInput("PLATFORM '-' needs --experiment")
        plat = Platform(experiment_platform(exp) if args[0] == "-" else args[0], exp)
        spath = os.path.join(args[1], "summary.json")
        try:
            with open(spath) as f:
                summary = json.load(f)
        except OSError as e:
            raise BadInput("%s: %s" % (spath, e.strerror))
        except ValueError as e:
            raise BadInput("%s: not JSON (%s)" % (spath, e))
        c = Checker(plat, args[1], limit)
        # Workloads whose CPU jobs take free cores anywhere (README "Resources").
        inputs = summary.get("inputs") or {}
        # Conservative may keep a fitting job waiting for a later job's reservation, and
        # another --order ("easy/sjf") changes which job comes first: no head rule there.
        c.head_rule = inputs.get("policy") in ("fcfs", "easy")
        if not (inputs.get("options") or {}).get("procs_per_node"):
            c.percore_wls = set(w.get("name") for w in inputs.get("workloads") or []
                                if w.get("format") == "swf")
        jobs = c.read_jobs()
        opts = (summary.get("inputs") or {}).get("options") or {}
        split = bool(opts.get("split_long_jobs", boolean(plat.options.get("split_long_jobs"), False)))
        nchains, nseg = c.check_chains(jobs, split)
        check_membership(c, plat, jobs)
        dflt = set(d.get("workload") for d in summary.get("defaults") or []
                   if d.get("field") == "account")
        qseries, pseries = c.sweep(jobs, dflt)
        c.check_series(qseries, pseries)
        check_summary(c, plat, jobs, summary, nchains, nseg, c.chain_tw)
    except BadInput as e:
        fail_input(str(e))
    if c.head_skipped:
        sys.stderr.write("jzcheck: note: head check skipped at %d instants (over %d held jobs ahead)\n" % (
            c.head_skipped, c.HEAD_SCAN))
    if c.count:
        if c.hidden:
            sys.stdout.write("jzcheck: ... %d more of the same kinds\n" % c.hidden)
        sys.stdout.write("jzcheck: %d violation(s) in %s\n" % (c.count, args[1]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
