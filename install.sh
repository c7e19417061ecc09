#!/bin/sh
# Installs Hearth as a system service:
#   binary  $DESTDIR$PREFIX/bin/hearth            (PREFIX default /usr/local)
#   unit    $DESTDIR/etc/systemd/system/hearth.service
#   config  $DESTDIR/etc/hearth/hearth.toml       (written only if absent)
#   data    $DESTDIR/var/lib/hearth               (0750, owned by the hearth system user)
# Usage: ./install.sh [--prefix DIR] [BINARY]      BINARY defaults to dist/hearth-linux-x64,
#                                                  or dist/hearth-linux-arm64 on an arm64 machine
#        ./install.sh --uninstall [--purge]        --purge also deletes data and config
# With DESTDIR set (packaging, tests) no user is created and systemctl is not called.
# Running it again is safe: existing config and data are never overwritten.
set -eu

PREFIX=/usr/local
DESTDIR=${DESTDIR:-}
ACTION=install
PURGE=no
BINARY=
HERE=$(cd "$(dirname "$0")" && pwd)

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "hearth: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    --uninstall) ACTION=uninstall; shift ;;
    --purge) PURGE=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) BINARY=$1; shift ;;
  esac
done
[ "$PURGE" = no ] || [ "$ACTION" = uninstall ] || die "--purge only goes with --uninstall"

BIN_DIR=$DESTDIR$PREFIX/bin
UNIT_DIR=$DESTDIR/etc/systemd/system
CONF_DIR=$DESTDIR/etc/hearth
DATA_DIR=$DESTDIR/var/lib/hearth

# systemctl only on a real install on a machine that runs systemd.
live_systemd() { [ -z "$DESTDIR" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

need_root() {
  [ -n "$DESTDIR" ] && return 0
  [ "$(id -u)" -eq 0 ] || die "run as root (or set DESTDIR to install into a staging directory)"
}

write_config() {
  cat >"$1" <<'TOML'
# Hearth configuration. Every key, its default and accepted values:
# docs/operations.md (config reference). Environment variables HEARTH_<SECTION>_<KEY>
# and command-line flags override this file.

[server]
# host = "0.0.0.0"
# port = 8080
# publicUrl = "https://chat.example.org"   # used in printed links
# trustedProxies = ["127.0.0.1"]           # when behind a reverse proxy

[data]
dir = "/var/lib/hearth"

[storage]
# durability = "normal"                    # "full" also survives power loss (slower)

[log]
# level = "info"

[accounts]
# registration = "invite"                  # open | invite | closed
TOML
}

install_unit() {
  mkdir -p "$UNIT_DIR"
  # The unit names /usr/local/bin/hearth; point it at the binary actually installed.
  sed "s#^ExecStart=/usr/local/bin/hearth #ExecStart=$PREFIX/bin/hearth #" "$HERE/systemd/hearth.service" >"$UNIT_DIR/hearth.service.tmp"
  chmod 0644 "$UNIT_DIR/hearth.service.tmp"
  mv -f "$UNIT_DIR/hearth.service.tmp" "$UNIT_DIR/hearth.service"
}

ensure_user() {
  [ -z "$DESTDIR" ] || return 0
  id hearth >/dev/null 2>&1 && return 0
  useradd --system --user-group --home-dir /var/lib/hearth --no-create-home --shell /usr/sbin/nologin hearth
  say "created system user hearth"
}

do_install() {
  if [ -z "$BINARY" ]; then
    case "$(uname -m)" in
      aarch64|arm64) BINARY=$HERE/dist/hearth-linux-arm64 ;;
      *) BINARY=$HERE/dist/hearth-linux-x64 ;;
    esac
  fi
  [ -f "$BINARY" ] || die "no binary at $BINARY (build it with: npm run build, or npm run build -- --arm64 for a Raspberry Pi)"
  need_root
  mkdir -p "$BIN_DIR"
  # Copy then rename: a running service keeps its old inode; the new one starts on restart.
  cp "$BINARY" "$BIN_DIR/.hearth.new"
  chmod 0755 "$BIN_DIR/.hearth.new"
  mv -f "$BIN_DIR/.hearth.new" "$BIN_DIR/hearth"
  say "installed $BIN_DIR/hearth"
  ensure_user
  mkdir -p "$DATA_DIR" "$CONF_DIR"
  chmod 0750 "$DATA_DIR"
  [ -n "$DESTDIR" ] || chown hearth:hearth "$DATA_DIR"
  if [ ! -e "$CONF_DIR/hearth.toml" ]; then
    write_config "$CONF_DIR/hearth.toml"
    chmod 0640 "$CONF_DIR/hearth.toml"
    [ -n "$DESTDIR" ] || chgrp hearth "$CONF_DIR/hearth.toml"
    say "wrote $CONF_DIR/hearth.toml"
  fi
  install_unit
  say "installed $UNIT_DIR/hearth.service"
  if live_systemd; then
    systemctl daemon-reload
    systemctl enable hearth.service >/dev/null
    say "enabled hearth.service; start it with: systemctl start hearth (or restart, after an upgrade)"
  fi
}

do_uninstall() {
  need_root
  if live_systemd && systemctl list-unit-files hearth.service >/dev/null 2>&1; then
    systemctl disable --now hearth.service >/dev/null 2>&1 || true
  fi
  rm -f "$BIN_DIR/hearth" "$UNIT_DIR/hearth.service"
  live_systemd && systemctl daemon-reload
  say "removed binary and unit"
  if [ "$PURGE" = yes ]; then
    rm -rf "$DATA_DIR" "$CONF_DIR"
    [ -n "$DESTDIR" ] || ! id hearth >/dev/null 2>&1 || userdel hearth
    say "purged $DATA_DIR and $CONF_DIR"
  else
    say "kept data ($DATA_DIR) and config ($CONF_DIR); --purge deletes them"
  fi
}

if [ "$ACTION" = install ]; then do_install; else do_uninstall; fi
