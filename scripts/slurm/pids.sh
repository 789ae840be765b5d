# pids.sh: sourced by start.sh and stop.sh. pid_alive FILE NAME: FILE holds the pid of a live
# process named NAME. A zombie is not alive: PID 1 of a container may reap orphans only every
# second or two, and a stopped daemon must not look like it still runs.
alive() { # alive PID NAME
  local st
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
pid_alive() { # pid_alive FILE NAME
  [ -s "$1" ] && alive "$(cat "$1")" "$2"
}
