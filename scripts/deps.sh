# deps.sh: sourced by demo.sh, test.sh and bench.sh. Installs, with apt-get, the Debian 12
# packages jzsim needs that are missing (sudo when not root); does nothing when all are there.
JZ_PACKAGES="cmake make gcc pkg-config libsimgrid-dev libyaml-dev libcmocka-dev zlib1g-dev libjansson-dev gnuplot-nox time python3 python3-yaml"

jz_install_deps() {
  local missing=() p
  for p in $JZ_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
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
