#!/bin/bash
# start.sh: start a private single-node Slurm (munged, slurmctld, slurmd) as plain background
# daemons (no systemd), then wait until the node is idle. For tests and for trying
# `jzsim sweep --slurm` on one machine; needs root and Debian's slurmctld slurmd slurm-client
# munge (scripts/deps.sh: jz_install_slurm).
#
# Usage: start.sh RUNDIR
#   RUNDIR holds everything (config, state, spool, logs, munge key, pid files); it is emptied
#   first and must not be inside ../shared. Outside the repository is best (mktemp -d).
# Env: JZ_SLURM_TIMEOUT (60 s to reach idle), JZ_SLURM_CTLD_PORT / JZ_SLURM_SLURMD_PORT
#   (default: the first free pair from 6817/6818 upwards, in steps of 2, so that several
#   instances can share a machine).
#   JZ_SLURM_CPUS: CPUs the node claims (default: what `slurmd -C` sees; more than that adds
#   SlurmdParameters=config_overrides: jobs that only sleep do not mind).
#   JZ_SLURM_SCHED_PARAMS: SchedulerParameters (default batch_sched_delay=0).
#   JZ_SLURM_EXTRA_CONF: a file of slurm.conf lines added before the node and partition lines
#   (PriorityType, PriorityWeight*, ...; keys the template sets must not be repeated there).
# After success: `. RUNDIR/env.sh` exports SLURM_CONF for sbatch, squeue, scancel, sinfo.
# Stop with scripts/slurm/stop.sh RUNDIR, also after a failed start (some daemons may be up).
set -euo pipefail

BASE=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: start.sh RUNDIR" >&2; exit 2; }
RUN=$1
TIMEOUT=${JZ_SLURM_TIMEOUT:-60}
die() { echo "start.sh: $*" >&2; exit 1; }
log() { echo "start.sh: $*"; }

[ "$(id -u)" = 0 ] || die "must run as root (SlurmUser=root; slurmd needs root)"
for b in munged munge unmunge slurmctld slurmd sinfo; do
  command -v "$b" >/dev/null || die "missing $b (apt-get install munge slurmctld slurmd slurm-client)"
done
. "$BASE/pids.sh"
for d in munged slurmctld slurmd; do
  pid_alive "$RUN/pid/$d.pid" "$d" && die "$d already running from $RUN; stop it first (stop.sh $RUN)"
done

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }
CTLD_PORT=${JZ_SLURM_CTLD_PORT:-}
SLURMD_PORT=${JZ_SLURM_SLURMD_PORT:-}
if [ -z "$CTLD_PORT" ]; then
  CTLD_PORT=6817
  while ! { port_free $CTLD_PORT && port_free $((CTLD_PORT + 1)); }; do
    CTLD_PORT=$((CTLD_PORT + 2))
    [ $CTLD_PORT -lt 6917 ] || die "no free port pair in 6817-6916"
  done
  SLURMD_PORT=$((CTLD_PORT + 1))
fi
SLURMD_PORT=${SLURMD_PORT:-$((CTLD_PORT + 1))}

rm -rf "$RUN"
umask 022
mkdir -p "$RUN"/{etc,munge,state,spool,log,pid}
RUN=$(cd "$RUN" && pwd)
chmod 0755 "$RUN" "$RUN/munge" # munged refuses a group- or world-writable socket directory

HOST=$(hostname -s)
HW=$(slurmd -C | head -1) # NodeName=... CPUs=... RealMemory=...
CPUS=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$HW")
MEM=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$HW")
[ -n "$CPUS" ] && [ -n "$MEM" ] || die "cannot parse 'slurmd -C': $HW"
MEM=$((MEM * 95 / 100)) # slurmd drains a node that claims more memory than it sees
REAL_CPUS=$CPUS
CPUS=${JZ_SLURM_CPUS:-$CPUS}
[[ "$CPUS" =~ ^[1-9][0-9]*$ ]] || die "JZ_SLURM_CPUS: '$CPUS' is not a positive integer"
EXTRA=$(mktemp)
trap 'rm -f "$EXTRA"' EXIT
[ "$CPUS" -le "$REAL_CPUS" ] || echo "SlurmdParameters=config_overrides" >> "$EXTRA"
if [ -n "${JZ_SLURM_EXTRA_CONF:-}" ]; then
  [ -r "$JZ_SLURM_EXTRA_CONF" ] || die "JZ_SLURM_EXTRA_CONF: cannot read $JZ_SLURM_EXTRA_CONF"
  cat "$JZ_SLURM_EXTRA_CONF" >> "$EXTRA"
fi
SCHED=${JZ_SLURM_SCHED_PARAMS:-batch_sched_delay=0}
CONF=$RUN/etc/slurm.conf
sed -e "s|@HOST@|$HOST|g" -e "s|@CPUS@|$CPUS|g" -e "s|@MEM@|$MEM|g" \
  -e "s|@DEFMEM@|$((MEM / CPUS))|g" -e "s|@RUN@|$RUN|g" \
  -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" \
  -e "s|@SCHED@|$SCHED|g" -e "/^# @EXTRA@/r $EXTRA" \
  "$BASE/slurm.conf.in" > "$CONF"
echo "export SLURM_CONF=$CONF" > "$RUN/env.sh"
export SLURM_CONF=$CONF
log "node $HOST CPUs=$CPUS RealMemory=$MEM, ports $CTLD_PORT/$SLURMD_PORT, conf $CONF"

KEY=$RUN/munge/munge.key
SOCK=$RUN/munge/munge.socket.2
if command -v mungekey >/dev/null; then
  mungekey --create --keyfile="$KEY"
else
  dd if=/dev/urandom of="$KEY" bs=1 count=1024 status=none
fi
chmod 0400 "$KEY"
# Never --force: it takes over the socket of a live munged.
munged --key-file="$KEY" --socket="$SOCK" --pid-file="$RUN/pid/munged.pid" \
  --seed-file="$RUN/munge/munged.seed" --log-file="$RUN/log/munged.log"
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
munge -n -S "$SOCK" | unmunge -S "$SOCK" >/dev/null || die "munge self-test failed"

# Both fork into the background and write their pid files.
slurmctld -f "$CONF"
slurmd -f "$CONF" -N "$HOST"

deadline=$((SECONDS + TIMEOUT))
state=""
while [ $SECONDS -lt $deadline ]; do
  state=$(sinfo -h -N -n "$HOST" -o %t 2>/dev/null | head -1 || true)
  [ "$state" = idle ] && break
  sleep 0.25
done
if [ "$state" != idle ]; then
  echo "start.sh: node state '$state' after ${TIMEOUT}s; log tails:" >&2
  tail -n 20 "$RUN/log/slurmctld.log" "$RUN/log/slurmd.log" >&2 || true
  exit 1
fi
log "munged $(cat "$RUN/pid/munged.pid"), slurmctld $(cat "$RUN/pid/slurmctld.pid"), slurmd $(cat "$RUN/pid/slurmd.pid"); node $HOST idle"
