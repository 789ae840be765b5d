#!/usr/bin/env python3
"""fuzz.py JZSIM WORKDIR [FIRST_SEED [COUNT]]: random small runs checked by jzcheck.

Each seed writes a platform (6 four-core CPU nodes, 4 four-GPU nodes; queues with per-job,
per-user and per-account limits and priorities), an experiment (two allocations, one on each
partition, recurring or not, lending or not, overflowing or not; --split-long-jobs) and two
jobs-csv workloads (per-core, whole-node, exclusive and GPU jobs, text ids, statuses), runs
jzsim under EASY and FCFS, checks each run, and prints each kind of violation with a count and
one example (numbers masked to group them). Deterministic for a seed. Exit 1 on any violation.
"""
import os
import random
import re
import subprocess
import sys

PLATFORM = """name: fuzz
node_types:
  c4: {cores: 4, core_speed: 1Gf, power: {idle: 10W, max: 50W}}
  g4: {cores: 8, core_speed: 1Gf, gpus: {model: T, count: 4, speed: 1Tf}}
fabrics:
  net: {bandwidth: 10Gbps, latency: 1us}
partitions:
  cpu: {node_type: c4, nodes: 6, fabric: net}
  gpu: {node_type: g4, nodes: 4, fabric: net}
queues:
  cq: {partitions: [cpu], max_walltime: 2000s, max_nodes_per_job: 3, max_jobs_per_user: 3,
       max_cores_per_account: 16, default: true}
  cl: {partitions: [cpu], max_walltime: 20000s, max_cores_per_job: 8, priority: -1}
  gq: {partitions: [gpu], max_walltime: 2000s, max_gpus_per_job: 8, max_gpus_per_user: 8,
       default: true}
"""


def write_case(d, seed):
    rnd = random.Random(seed)
    users, accts = ["u1", "u2", "u3", "u4"], ["a", "b", "c"]
    with open(os.path.join(d, "platform.yaml"), "w") as f:
        f.write(PLATFORM)
    with open(os.path.join(d, "cpu.csv"), "w") as f:
        f.write("id,submit,runtime,walltime,cores,nodes,exclusive,user,account,status\n")
        t = 0
        for i in range(300):
            t += rnd.choice([0, 0, 1, 5, 20, 60])
            rt = rnd.choice([10, 50, 100, 500, 1500, 3000, 25000])
            wt = rnd.choice(["", str(rt), str(rt * 2), str(max(1, rt // 2))])
            if rnd.random() < 0.15:
                size = ",%d,1" % rnd.randint(1, 3)
            else:
                size = "%d,," % rnd.choice([1, 2, 3, 4, 6, 8, 12])
            f.write("c%d,%d,%d,%s,%s,%s,%s,%d\n" % (i, t, rt, wt, size,
                                                    rnd.choice(users), rnd.choice(accts),
                                                    rnd.choice([1, 1, 0, 5])))
    with open(os.path.join(d, "gpu.csv"), "w") as f:
        f.write("id,submit,runtime,walltime,gpus,user,account\n")
        t = 0
        for i in range(200):
            t += rnd.choice([0, 1, 5, 30, 100])
            rt = rnd.choice([10, 100, 600, 1900, 5000])
            f.write("%d,%d,%d,%s,%d,%s,%s\n" % (i, t, rt, rnd.choice(["", str(rt), str(rt * 2)]),
                                                rnd.choice([1, 1, 2, 3, 4, 8]), rnd.choice(users),
                                                rnd.choice(accts + ["m"])))
    b = lambda: rnd.choice(["true", "false"])
    with open(os.path.join(d, "experiment.yaml"), "w") as f:
        f.write("""platform: platform.yaml
workloads:
  - {partition: cpu, file: cpu.csv}
  - {partition: gpu, file: gpu.csv}
reservations:
  rg: {partition: gpu, nodes: 2, accounts: [m], start: 300s, end: 900s%s, lend_idle: %s, overflow: %s}
  rc: {partition: cpu, nodes: 2, accounts: [a], start: 100s, end: 700s, period: 2000s, lend_idle: %s}
options:
  split_long_jobs: true
""" % (rnd.choice(["", ", period: 1500s"]), b(), b(), b()))


def main():
    jzsim, work = sys.argv[1], sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    jzcheck = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jzcheck.py")
    kinds = {}
    for seed in range(first, first + n):
        d = os.path.join(work, "seed%d" % seed)
        os.makedirs(d, exist_ok=True)
        write_case(d, seed)
        for policy in ("easy", "fcfs"):
            out = os.path.join(d, policy)
            r = subprocess.run([jzsim, "run", "--experiment", os.path.join(d, "experiment.yaml"),
                                "--policy", policy, "--out", out, "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, universal_newlines=True)
            if r.returncode != 0:
                kinds.setdefault("jzsim exit %d: %s" % (r.returncode, r.stderr.strip()[:200]), [0, d])[0] += 1
                continue
            c = subprocess.run([sys.executable, jzcheck, "-", out, "--experiment",
                                os.path.join(d, "experiment.yaml")],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
            for line in c.stdout.splitlines():
                m = re.match(r"^jzcheck: (.*?) @ (\S+): (.*)$", line)
                if not m:
                    continue
                kind = re.sub(r"[0-9][0-9.e+]*", "N", m.group(3))
                k = kinds.setdefault(kind, [0, "%s (%s): %s" % (out, policy, line)])
                k[0] += 1
    for kind, (count, example) in sorted(kinds.items(), key=lambda kv: -kv[1][0]):
        print("%6d  %s\n        e.g. %s" % (count, kind, example))
    print("%d kinds of violation over %d seeds" % (len(kinds), n))
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
