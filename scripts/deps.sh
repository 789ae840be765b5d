# deps.sh: sourced by demo.sh, test.sh, bench.sh and tests/sweep/slurm.sh. Installs, with apt-get, the Debian 12
# packages jzsim needs that are missing (sudo when not root); does nothing when all are there.
JZ_PACKAGES="cmake make gcc pkg-config libsimgrid-dev libyaml-dev libcmocka-dev zlib1g-dev libjansson-dev gnuplot-nox time python3 python3-yaml"

# jz_missing PACKAGE...: print the ones not installed, one a line.
jz_missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

jz_install_deps() {
  local missing
  mapfile -t missing < <(jz_missing $JZ_PACKAGES)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "jzsim: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "jzsim: need root or sudo to install: ${missing[*]}" >&2
      return 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Optional: a private single-node Slurm for the job-array test (tests/slurm/slurm_sweep.sh,
# scripts/slurm/start.sh). Installed by test.sh; a failure to install only skips that test.
JZ_SLURM_PACKAGES="slurmctld slurmd slurm-client munge"

# jz_install_slurm: install JZ_SLURM_PACKAGES if missing, without letting the packages start
# their services (there is no systemd; a munged or slurmctld started by the postinst scripts
# would hold the ports and sockets the test's own daemons need): a policy-rc.d that exits 101
# tells invoke-rc.d to start nothing. One we did not create is left as it is.
jz_install_slurm() {
  local missing
  mapfile -t missing < <(jz_missing $JZ_SLURM_PACKAGES)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "jzsim: not root: optional Slurm packages not installed (${missing[*]})" >&2
    return 1
  fi
  local rcd=/usr/sbin/policy-rc.d ours=0 rc=0
  if [ ! -e "$rcd" ]; then
    printf '#!/bin/sh\n# jzsim deps.sh: start no service while installing Slurm\nexit 101\n' > "$rcd"
    chmod 0755 "$rcd"
    ours=1
  fi
  echo "jzsim: installing optional ${missing[*]}" >&2
  { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=300 "${missing[@]}"; } >&2 || rc=1
  [ $ours = 1 ] && rm -f "$rcd"
  return $rc
}
