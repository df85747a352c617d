#!/usr/bin/env bash
# Installs the Debian packages the product needs (called by `make run` / `make test`):
#   scripts/system_packages.sh PACKAGE...
# As root with apt-get it installs the missing ones, waiting up to APT_LOCK_TIMEOUT seconds (default 600) when
# another process (an unattended upgrade, another install) holds the apt lock, instead of giving up at once.
# Otherwise it names the packages to install and fails.
set -uo pipefail

timeout=${APT_LOCK_TIMEOUT:-600}
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}"
  echo "Install them with: sudo apt-get install ${missing[*]}"
  echo "(Chinese certificates need fonts-lxgw-wenkai and libharfbuzz-subset0; tests need poppler-utils and chromium.)"
  exit 1
fi

# Who holds one of apt's locks, read from /proc/locks without taking the lock ourselves (taking it, even
# briefly, could make the other process fail). apt and dpkg use fcntl locks; /proc/locks names them by inode.
lock_holder() {
  local file inode pid
  for file in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
    [ -e "$file" ] || continue
    inode=$(stat -c %i "$file")
    pid=$(awk -v inode=":$inode" '$6 ~ inode"$" {print $5; exit}' /proc/locks 2>/dev/null)
    if [ -n "$pid" ]; then
      echo "$pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo '?'))"
      return 0
    fi
  done
  return 1
}

# Messages go to fd 3 (the terminal's stdout) so they show even while apt's own output is hidden.
exec 3>&1
say_waiting() {
  echo >&3 "Waiting for the apt lock held by another process${1:+ $1} (up to ${timeout} s; set APT_LOCK_TIMEOUT to change)…"
}

export DEBIAN_FRONTEND=noninteractive
# apt-get install waits for the dpkg lock itself with this option; apt-get update does not wait for the
# lists lock (apt 2.6), so update_lists retries it below.
apt_options=(-o "DPkg::Lock::Timeout=$timeout" -y -qq)

install_missing() {
  local holder
  holder=$(lock_holder) && say_waiting "$holder"
  apt-get "${apt_options[@]}" install "${missing[@]}"
}

update_lists() {
  local start errors holder waited=""
  start=$(date +%s)
  errors=$(mktemp)
  trap 'rm -f "$errors"' RETURN
  until apt-get "${apt_options[@]}" update 2>"$errors" >/dev/null; do
    if grep -q "Could not get lock" "$errors" && [ $(($(date +%s) - start)) -lt "$timeout" ]; then
      if [ -z "$waited" ]; then
        holder=$(lock_holder) || holder=""
        say_waiting "$holder"
        waited=yes
      fi
      sleep 5
    else
      cat "$errors" >&2
      return 1
    fi
  done
}

echo "Installing system packages with apt-get: ${missing[*]} (this may take a few minutes)"
# Straight away when the package lists are recent; otherwise refresh them first.
if ! install_missing >/dev/null 2>&1; then
  if ! { update_lists && install_missing >/dev/null; }; then
    echo "Could not install: ${missing[*]}"
    exit 1
  fi
fi
echo "System packages installed."
