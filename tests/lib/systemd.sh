# systemd.sh — a real systemd (the host's /lib/systemd/systemd) as PID 1 of
# a new PID + mount namespace, for VM tests of lvsd's unit (Type=notify,
# reload, watchdog, restart; later the hardened unit). Source it in a
# tests/vm/test_*.sh (the VM is root and throw-away: the units dir and
# /etc writes vanish at power off); needs ns.sh's fail.
#
# It boots a tiny system: only the units in $SD_UNITS (a private unit path,
# SYSTEMD_UNIT_PATH) — the stock targets basic/sysinit/sockets/…, journald
# and what sd_unit adds — with no generators, so nothing of the host's
# /etc/systemd (getty, timers, postgres…) starts and the boot takes seconds.
# systemd logs at debug level into the journal: every sd_notify message it
# gets ("Got notification message from PID N (READY=1, …)") and every state
# change of a unit is there for sd_journal.
#
#   sd_boot                      start systemd, wait until it is running
#   sd_unit FILE...              add unit files (symlinked) + daemon-reload
#   sd_dropin UNIT NAME <TEXT    a drop-in UNIT.d/NAME.conf + daemon-reload
#   sdctl ARGS...                systemctl in systemd's namespaces
#   sd_in CMD...                 any command in systemd's namespaces
#   sd_prop UNIT PROP            one property's value (systemctl show -P)
#   sd_state UNIT                ActiveState/SubState/MainPID/NRestarts
#   sd_wait_prop SECS UNIT PROP VALUE   poll until PROP is VALUE, else 1
#   sd_journal UNIT              the unit's journal (systemd's lines too)
#   sd_shutdown                  kill systemd and everything it runs
#
# Service sandboxing works in it (tried: ProtectSystem=strict, ProtectHome,
# PrivateTmp, NoNewPrivileges, SystemCallFilter=@system-service,
# RestrictAddressFamilies, MemoryDenyWriteExecute, CapabilityBoundingSet:
# lvsd active, CapEff as bounded, IPVS programmed).
# systemctl must run inside the namespace: systemd refuses a private-bus
# client whose PID it cannot see. PIDs it reports (MainPID) are PIDs of
# that namespace; use sd_in kill, or `sdctl kill`.

SD_DIR=/run/lvsd-sd
SD_UNITS=$SD_DIR/units
SD_PID=
SD_TARGET=lvsd-test.target
# The stock units the tiny system is made of.
SD_BASE_UNITS="sysinit.target basic.target shutdown.target sockets.target
	paths.target timers.target slices.target network.target
	network-online.target multi-user.target final.target exit.target
	poweroff.target systemd-poweroff.service systemd-exit.service
	umount.target systemd-journald.socket systemd-journald-dev-log.socket
	systemd-journald.service"

# systemctl says "Running in chroot, ignoring command" in the VM (its
# command runs chroot'ed under the initramfs' PID 1); it is not a chroot
# for what we do.
export SYSTEMD_IGNORE_CHROOT=1

sd_boot() {
	local u i s
	[ -x /lib/systemd/systemd ] || fail "no /lib/systemd/systemd (apt-get install systemd)"
	[ -z "$SD_PID" ] || fail "sd_boot: systemd already runs"
	[ ! -e /run/systemd/private ] || fail "sd_boot: another systemd owns /run/systemd"
	rm -rf "$SD_DIR"
	mkdir -p "$SD_UNITS/sockets.target.wants" "$SD_DIR/generators"
	for u in $SD_BASE_UNITS; do
		if [ -e "/lib/systemd/system/$u" ]; then
			ln -s "/lib/systemd/system/$u" "$SD_UNITS/$u"
		fi
	done
	for u in systemd-journald.socket systemd-journald-dev-log.socket; do
		ln -s "/lib/systemd/system/$u" "$SD_UNITS/sockets.target.wants/$u"
	done
	cat >"$SD_UNITS/$SD_TARGET" <<-'EOF'
	[Unit]
	Description=lvsd test system
	Requires=basic.target
	After=basic.target
	EOF
	# container= tells systemd it is a container's PID 1 (no udev, no
	# kernel tunables, poweroff ends the PID namespace).
	unshare --pid --fork --mount --mount-proc --propagation private \
		env -i container=lvsd-test SYSTEMD_IGNORE_CHROOT=1 \
		SYSTEMD_UNIT_PATH="$SD_UNITS" SYSTEMD_GENERATOR_PATH="$SD_DIR/generators" \
		SYSTEMD_ENVIRONMENT_GENERATOR_PATH="$SD_DIR/generators" \
		/lib/systemd/systemd --unit="$SD_TARGET" --log-level=debug \
		--log-target=journal-or-kmsg --show-status=no \
		</dev/null >"$SD_DIR/console" 2>&1 &
	SD_UNSHARE=$!
	# systemd is the unshare's only child.
	for i in $(seq 150); do
		SD_PID=$(cat "/proc/$SD_UNSHARE/task/$SD_UNSHARE/children" 2>/dev/null) || true
		SD_PID=${SD_PID%% *}
		[ -n "$SD_PID" ] && [ -S /run/systemd/private ] && break
		kill -0 "$SD_UNSHARE" 2>/dev/null || break
		sleep 0.2
	done
	[ -n "$SD_PID" ] && [ -S /run/systemd/private ] || {
		cat "$SD_DIR/console" >&2; fail "systemd did not start"; }
	for i in $(seq 40); do
		s=$(sdctl is-system-running 2>&1) || true
		case $s in running | degraded) break ;; esac
		sleep 0.5
	done
	case $s in
	running) ;;
	degraded) sdctl --failed --no-pager >&2; fail "systemd booted degraded" ;;
	*) cat "$SD_DIR/console" >&2; fail "systemd did not finish booting ($s)" ;;
	esac
}

sd_in() { nsenter -t "$SD_PID" --pid --mount --root --wd="$PWD" -- "$@"; }
sdctl() { sd_in systemctl --no-pager "$@"; }
sd_prop() { sdctl show -P "$2" "$1"; }
# sd_state UNIT: "ActiveState/SubState/MainPID/NRestarts" in one call.
sd_state() {
	sdctl show -p ActiveState -p SubState -p MainPID -p NRestarts "$1" |
		awk -F= '{ v[$1] = $2 } END { printf "%s/%s/%s/%s\n", v["ActiveState"],
			v["SubState"], v["MainPID"], v["NRestarts"] }'
}
sd_journal() { sd_in journalctl --no-pager -o short-monotonic -u "$1"; }

sd_unit() {
	local f
	for f in "$@"; do
		ln -sf "$(readlink -f "$f")" "$SD_UNITS/$(basename "$f")"
	done
	sdctl daemon-reload
}

sd_dropin() { # UNIT NAME: a drop-in UNIT.d/NAME.conf from stdin + daemon-reload
	mkdir -p "$SD_UNITS/$1.d"
	cat >"$SD_UNITS/$1.d/$2.conf"
	sdctl daemon-reload
}

sd_wait_prop() { # SECS UNIT PROP VALUE
	local end=$((SECONDS + $1)) v
	while :; do
		v=$(sd_prop "$2" "$3" 2>/dev/null) || true
		[ "$v" = "$4" ] && return 0
		[ $SECONDS -lt "$end" ] || return 1
		sleep 0.3
	done
}

sd_shutdown() {
	[ -n "$SD_PID" ] || return 0
	# Killing the namespace's PID 1 kills every process in it at once (a
	# poweroff takes 10 s and more under TCG; the VM is thrown away after
	# the test anyway): stop the units whose stop matters first.
	kill -9 "$SD_PID" 2>/dev/null || true
	wait "$SD_UNSHARE" 2>/dev/null || true
	SD_PID=
}
