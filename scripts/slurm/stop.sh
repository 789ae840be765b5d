#!/bin/bash
# stop.sh: stop exactly the daemons scripts/slurm/start.sh started in RUNDIR, by their pid
# files (never by name: other Slurm instances may share the machine), after cancelling the jobs
# still queued so that no slurmstepd survives. Safe after a failed or partial start, and twice.
#
# Usage: stop.sh RUNDIR [--purge]    --purge: also delete RUNDIR
set -uo pipefail
BASE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: stop.sh RUNDIR [--purge]" >&2; exit 2; }
RUN=$1
. "$BASE/pids.sh"
export SLURM_CONF=$RUN/etc/slurm.conf
rc=0

if pid_alive "$RUN/pid/slurmctld.pid" slurmctld && [ -f "$SLURM_CONF" ]; then
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u)
  if [ -n "$jobs" ]; then
    echo "stop.sh: cancelling $(wc -w <<<"$jobs") job(s)"
    scancel $jobs 2>/dev/null
    for _ in $(seq 40); do
      [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
fi

for d in slurmd slurmctld munged; do
  f=$RUN/pid/$d.pid
  if ! pid_alive "$f" "$d"; then
    rm -f "$f"
    continue
  fi
  pid=$(cat "$f")
  kill -TERM "$pid"
  for _ in $(seq 300); do alive "$pid" "$d" || break; sleep 0.1; done
  if alive "$pid" "$d"; then
    echo "stop.sh: $d (pid $pid) ignored SIGTERM for 30 s: SIGKILL" >&2
    kill -KILL "$pid"
    rc=1
  else
    echo "stop.sh: $d (pid $pid) stopped"
  fi
  rm -f "$f"
done
[ "${2:-}" = --purge ] && rm -rf "$RUN"
exit $rc
