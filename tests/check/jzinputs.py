"""jzinputs: jzcheck's reading of the platform and experiment files (platforms/README.md,
docs/formats.md), and the windows of dedicated allocations. Standard library and python3-yaml."""
import math
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.stderr.write("jzcheck: error: python3-yaml is missing (apt-get install python3-yaml)\n")
    sys.exit(2)

DUR_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0,
             "d": 86400.0, "w": 604800.0}
POW_UNITS = {"W": 1.0, "kW": 1e3, "MW": 1e6}
QTY = re.compile(r"^([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)([A-Za-z]+)$")


class BadInput(Exception):
    pass


def quantity(text, units, what):
    m = QTY.match(str(text).strip())
    if not m or m.group(2) not in units:
        raise BadInput("%s: '%s' is not a quantity in %s" % (what, text, "/".join(units)))
    return float(m.group(1)) * units[m.group(2)]


def count(v, what):
    try:
        return int(str(v).strip())
    except ValueError:
        raise BadInput("%s: '%s' is not a count" % (what, v))


def boolean(v, default):
    if v is None:
        return default
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("true", "1")


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))

# ---------------------------------------------------------------------------------------------
# Inputs: platform (+ experiment overrides)

class Platform:
    def __init__(self, path, experiment=None):
        doc = load_yaml(path)
        exp = load_yaml(experiment) if experiment else {}
        self.options = (exp or {}).get("options") or {}
        try:
            self._build(doc, exp or {})
        except (KeyError, TypeError, AttributeError) as e:
            raise BadInput("%s: malformed platform (%s)" % (path, e))

    def _build(self, doc, exp):
        types = doc.get("node_types") or {}
        self.parts = {}       # name -> dict(first, n, cores, gpus, idle, max)
        self.part_order = []
        first = 0
        for name, p in (doc["partitions"] or {}).items():
            t = types[p["node_type"]]
            g = t.get("gpus") or {}
            pw = t.get("power")
            self.parts[name] = dict(
                first=first, n=count(p["nodes"], name), cores=count(t["cores"], name),
                gpus=count(g["count"], name) if g else 0,
                idle=quantity(pw["idle"], POW_UNITS, name) if pw else None,
                max=quantity(pw["max"], POW_UNITS, name) if pw else None)
            first += self.parts[name]["n"]
            self.part_order.append(name)
        self.total_nodes = first
        queues = exp["queues"] if "queues" in exp else doc.get("queues")
        self.queues = {}
        for name, q in (queues or {}).items():
            d = dict(partitions=list(q["partitions"]), priority=int(q.get("priority", 0)))
            d["max_walltime"] = (quantity(q["max_walltime"], DUR_UNITS, name)
                                 if "max_walltime" in q else None)
            for k in ("max_gpus_per_job", "max_cores_per_job", "max_nodes_per_job",
                      "max_jobs_per_user", "max_gpus_per_user", "max_cores_per_user",
                      "max_jobs_per_account", "max_gpus_per_account", "max_cores_per_account"):
                d[k] = count(q[k], name) if k in q else None
            self.queues[name] = d
        # A partition without queues has one implicit, unlimited queue named after it.
        for p in self.part_order:
            if not any(p in q["partitions"] for q in self.queues.values()) and p not in self.queues:
                self.queues[p] = dict(partitions=[p], priority=0, max_walltime=None,
                                      **{k: None for k in (
                                          "max_gpus_per_job", "max_cores_per_job",
                                          "max_nodes_per_job", "max_jobs_per_user",
                                          "max_gpus_per_user", "max_cores_per_user",
                                          "max_jobs_per_account", "max_gpus_per_account",
                                          "max_cores_per_account")})
        res = exp["reservations"] if "reservations" in exp else doc.get("reservations")
        self.res = {}
        # Taken from the top of the partition; several on one partition stack downwards in file
        # order (the first holds the topmost nodes: not in the docs, see docs/checking.md).
        tops = {name: p["first"] + p["n"] for name, p in self.parts.items()}
        for name, r in (res or {}).items():
            part = self.parts[r["partition"]]
            n = (count(r["nodes"], name) if "nodes" in r
                 else int(math.ceil(float(r["fraction"]) * part["n"] - 1e-12)))
            top = tops[r["partition"]]
            tops[r["partition"]] -= n
            self.res[name] = dict(
                partition=r["partition"], n=n, lo=top - n, hi=top,   # nodes [lo, hi)
                accounts=set(str(a) for a in r["accounts"]),
                start=quantity(r["start"], DUR_UNITS, name), end=quantity(r["end"], DUR_UNITS, name),
                period=quantity(r["period"], DUR_UNITS, name) if "period" in r else None,
                overflow=boolean(r.get("overflow"), True), lend_idle=boolean(r.get("lend_idle"), False))

    def part_of_node(self, node):
        for name in self.part_order:
            p = self.parts[name]
            if p["first"] <= node < p["first"] + p["n"]:
                return name
        return None


def load_yaml(path):
    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
    except OSError as e:
        raise BadInput("%s: %s" % (path, e.strerror))
    except yaml.YAMLError as e:
        raise BadInput("%s: not YAML (%s)" % (path, str(e).splitlines()[0]))
    if not isinstance(doc, dict):
        raise BadInput("%s: not a mapping" % path)
    return doc


def experiment_platform(path):
    """The platform an experiment file names, relative to the experiment's folder."""
    doc = load_yaml(path)
    if "platform" not in doc:
        raise BadInput("%s: names no platform: give PLATFORM.yaml" % path)
    return os.path.join(os.path.dirname(path), str(doc["platform"]))


# Reservation windows: [start + k*period, end + k*period).

def window_at(r, t):
    """The window open at t as (open, close), else None."""
    if r["period"] is None:
        return (r["start"], r["end"]) if r["start"] <= t < r["end"] else None
    if t < r["start"]:
        return None
    k = math.floor((t - r["start"]) / r["period"])
    o = r["start"] + k * r["period"]
    return (o, o + r["end"] - r["start"]) if t < o + r["end"] - r["start"] else None


def next_window_open(r, t):
    """The opening time of the first window opening strictly after t (inf if none)."""
    if t < r["start"]:
        return r["start"]
    if r["period"] is None:
        return math.inf
    k = math.floor((t - r["start"]) / r["period"]) + 1
    return r["start"] + k * r["period"]


def window_seconds(r, lo, hi):
    """Seconds of windows inside [lo, hi]."""
    if r["period"] is None:
        return max(0.0, min(hi, r["end"]) - max(lo, r["start"]))
    total, k = 0.0, 0
    if r["period"] <= 0:
        return 0.0
    while True:
        o = r["start"] + k * r["period"]
        if o >= hi:
            return total
        total += max(0.0, min(hi, o + r["end"] - r["start"]) - max(lo, o))
        k += 1
