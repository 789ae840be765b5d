"""jzsummary: summary.json recomputed from jobs.csv (README "Output formats")."""
import json
import math

from jzinputs import close, window_seconds

FINAL_STATES = ("COMPLETED_SUCCESSFULLY", "COMPLETED_FAILED", "COMPLETED_WALLTIME_REACHED",
                "REJECTED")
TAU = 10.0


def group_stats(jobs):
    ran = [j for j in jobs if j.ran]
    waits = sorted(j.start - j.submit for j in ran)
    n = len(waits)
    if n == 0:
        return dict(jobs=0, rejected=len(jobs), mean=0.0, medians=(0.0,), p95=0.0, max=0.0,
                    bsld=0.0, bsld_max=0.0)
    med_lo = waits[(n - 1) // 2]
    med_mid = (waits[(n - 1) // 2] + waits[n // 2]) / 2
    bs = [max(1.0, (j.start - j.submit + j.exec) / max(j.exec, TAU)) for j in ran]
    return dict(jobs=n, rejected=len(jobs) - n, mean=math.fsum(waits) / n,
                medians=(med_lo, med_mid),   # nearest rank, or the middle pair's mean
                p95=waits[max(0, math.ceil(0.95 * n) - 1)], max=waits[-1],
                bsld=math.fsum(bs) / n, bsld_max=max(bs))


class SummaryCheck:
    def __init__(self, checker, summary):
        self.c = checker
        self.s = summary

    def get(self, path):
        cur = self.s
        for k in path.split("."):
            if not isinstance(cur, dict) or k not in cur:
                return KeyError
            cur = cur[k]
        return cur

    def eq(self, path, expected):
        got = self.get(path)
        if got is KeyError:
            self.c.v(None, None, "summary.json: %s is missing" % path)
            return
        cands = expected if isinstance(expected, tuple) else (expected,)
        for e in cands:
            if e is None and got is None:
                return
            if isinstance(e, str) or isinstance(got, str):
                if got == e:
                    return
                continue
            if e is not None and isinstance(got, (int, float)) and not isinstance(got, bool) \
                    and close(float(got), float(e), 1e-9):
                return
        self.c.v(None, None, "summary.json: %s is %s, jobs.csv gives %s" % (
            path, json.dumps(got), " or ".join(repr(e) for e in cands)))

    def within(self, path, lo, hi):
        got = self.get(path)
        if got is KeyError:
            self.c.v(None, None, "summary.json: %s is missing" % path)
        elif not isinstance(got, (int, float)) or not (
                got >= lo - 1e-9 * max(1.0, abs(lo)) and got <= hi + 1e-9 * max(1.0, abs(hi))):
            self.c.v(None, None, "summary.json: %s is %s, jobs.csv gives %s" % (
                path, json.dumps(got), repr(lo) if lo == hi else "%r..%r" % (lo, hi)))

    def group(self, prefix, jobs, waits_key="wait", bsld_key="mean_bounded_slowdown"):
        g = group_stats(jobs)
        self.eq(prefix + ".jobs", g["jobs"])
        self.eq(prefix + ".rejected", g["rejected"])
        self.eq(prefix + "." + waits_key + ".mean", g["mean"])
        self.eq(prefix + "." + waits_key + ".median", g["medians"])
        self.eq(prefix + "." + waits_key + ".p95", g["p95"])
        self.eq(prefix + "." + waits_key + ".max", g["max"])
        self.eq(prefix + "." + bsld_key, g["bsld"])


def dist_eq(sc, prefix, values):
    """A jz_dist_t: mean, median (either convention), p95 by nearest rank, max."""
    v = sorted(values)
    n = len(v)
    if n == 0:
        for k in ("mean", "median", "p95", "max"):
            sc.eq(prefix + "." + k, 0.0)
        return
    sc.eq(prefix + ".mean", math.fsum(v) / n)
    sc.eq(prefix + ".median", (v[(n - 1) // 2], (v[(n - 1) // 2] + v[n // 2]) / 2))
    sc.eq(prefix + ".p95", v[max(0, math.ceil(0.95 * n) - 1)])
    sc.eq(prefix + ".max", v[-1])


def check_summary(c, plat, jobs, summary, nchains, nseg, chain_tw=()):
    sc = SummaryCheck(c, summary)
    ran = [j for j in jobs if j.ran]
    rej = [j for j in jobs if not j.ran]
    sc.eq("jobs.rows", len(jobs))
    sc.eq("jobs.read", len(jobs) - nseg + nchains)
    sc.eq("jobs.ran", len(ran))
    for st in FINAL_STATES:
        sc.eq("jobs." + st.lower(), sum(1 for j in jobs if j.state == st))
    reasons = {}
    for j in rej:
        reasons[j.reject] = reasons.get(j.reject, 0) + 1
    got = sc.get("jobs.rejected_by_reason")
    if got is not KeyError and got != reasons:
        c.v(None, None, "summary.json: jobs.rejected_by_reason is %s, jobs.csv gives %s" % (
            json.dumps(got), json.dumps(reasons)))
    # held_reason is the first queue limit that held the job, else under slurm the first
    # scheduling reason (README "Output formats"): Priority and Resources are no queue limit.
    sc.eq("jobs.held_by_queue_limits",
          sum(1 for j in jobs if j.held and j.held not in ("Priority", "Resources")))
    sc.eq("jobs.chains", nchains)
    sc.eq("jobs.chain_segments", nseg)
    # A chain as the trace job it replays: first submission to last end, its segments' waits.
    sc.eq("chains.count", len(chain_tw))
    dist_eq(sc, "chains.turnaround", [t for t, _ in chain_tw])
    dist_eq(sc, "chains.wait", [w for _, w in chain_tw])
    if not jobs:
        return
    first = min(j.submit for j in jobs)
    last = max((j.finish for j in ran), default=first)
    sc.eq("time.first_submit", first)
    sc.eq("time.last_finish", last)
    sc.eq("time.makespan", last - first)
    g = group_stats(jobs)
    sc.eq("wait.mean", g["mean"])
    sc.eq("wait.median", g["medians"])
    sc.eq("wait.p95", g["p95"])
    sc.eq("wait.max", g["max"])
    sc.eq("bounded_slowdown.tau", TAU)
    sc.eq("bounded_slowdown.mean", g["bsld"])
    sc.eq("bounded_slowdown.max", g["bsld_max"])
    span = last - first
    total_energy, any_power = 0.0, False
    for name, pa in plat.parts.items():
        pj = [j for j in jobs if j.part == name]
        pr = [j for j in pj if j.ran]
        pre = "partitions." + name
        sc.eq(pre + ".nodes", pa["n"])
        sc.eq(pre + ".cores", pa["n"] * pa["cores"])
        sc.eq(pre + ".gpus", pa["n"] * pa["gpus"])
        sc.eq(pre + ".jobs", len(pr))
        sc.eq(pre + ".rejected", len(pj) - len(pr))
        cs = math.fsum(j.cores * j.exec for j in pr)
        gs = math.fsum(j.gpus * j.exec for j in pr)
        sc.eq(pre + ".core_seconds", cs)
        sc.eq(pre + ".gpu_seconds", gs)
        # The partition's own span ends at its last finish; it starts at its first submission,
        # of the jobs that ran or of all its rows (rejected ones too): the docs allow both.
        spans = ((max(j.finish for j in pr) - min(j.submit for j in pr),
                  max(j.finish for j in pr) - min(j.submit for j in pj)) if pr else (0.0,))
        sc.eq(pre + ".utilisation", tuple(
            cs / (pa["n"] * pa["cores"] * x) if x > 0 else 0.0 for x in spans))
        sc.eq(pre + ".gpu_utilisation", tuple(
            gs / (pa["n"] * pa["gpus"] * x) if x > 0 and pa["gpus"] else 0.0 for x in spans))
        if pa["idle"] is None:
            sc.eq(pre + ".energy_joules", None)
            continue
        any_power = True
        busy = gs / pa["gpus"] if pa["gpus"] else cs / pa["cores"]   # node-seconds of busy share
        e = pa["n"] * pa["idle"] * span + (pa["max"] - pa["idle"]) * busy
        total_energy += e
        sc.eq(pre + ".energy_joules", e)
    sc.eq("energy_joules", total_energy if any_power else None)
    # Queues, dedicated allocations, everybody else on their partitions.
    for q in plat.queues:
        sc.group("queues." + q, [j for j in jobs if j.queue == q])
    for name, r in plat.res.items():
        pre = "reservations." + name
        pa = plat.parts[r["partition"]]
        sc.eq(pre + ".partition", r["partition"])
        sc.eq(pre + ".nodes", r["n"])
        ws = window_seconds(r, first, last)
        sc.eq(pre + ".window_seconds", ws)
        unit = pa["gpus"] or pa["cores"]
        # A member's units on the allocation's nodes: exact when it is wholly inside or takes
        # whole nodes; a job spread over shared and reserved nodes by cores is only bounded
        # (jobs.csv does not give per-node shares): each node holds between its least share
        # and a full node.
        busy_lo = busy_hi = 0.0
        for j in ran:
            if j.res != name:
                continue
            k = len(j.nodes)
            inside = sum(1 for n in j.nodes if r["lo"] <= n < r["hi"])
            if not inside:
                continue
            units, least = (j.gpus, j.lb_gpus) if pa["gpus"] else (j.cores, j.lb_cores)
            lo = max(inside * least, units - (k - inside) * unit)
            hi = min(inside * unit, units - (k - inside) * least)
            w = window_seconds(r, j.start, j.finish)
            busy_lo += lo * w
            busy_hi += hi * w
        den = r["n"] * unit * ws
        sc.within(pre + ".utilisation", busy_lo / den if ws > 0 else 0.0,
                  busy_hi / den if ws > 0 else 0.0)
        sc.group(pre + ".accounts_jobs", [j for j in jobs if j.res == name])
    if plat.res:
        rparts = set(r["partition"] for r in plat.res.values())
        sc.group("other_jobs", [j for j in jobs if j.part in rparts and not j.res])
