# cleanup.sh: one EXIT/signal trap shared by the test helpers. Source it.
# cleanup_add CMD: runs CMD (a shell string) when the script exits, in reverse
# order of registration, also after a failure or on INT/TERM/HUP. A trap on
# EXIT that the script set before the first cleanup_add is kept and run last.
# Scripts that want their own exit work should call cleanup_add, not trap.
if [ -z "${_CLEANUP_SH:-}" ]; then
	_CLEANUP_SH=1
	_cleanup_hooks=""
	_cleanup_armed=""

	_cleanup_run() {
		_cleanup_status=$?
		trap - EXIT INT TERM HUP
		if [ -n "$_cleanup_hooks" ]; then
			eval "$_cleanup_hooks"
		fi
		_cleanup_hooks=""
		return "$_cleanup_status"
	}

	cleanup_add() {
		# newest first: prepend; each hook runs even if an earlier one fails
		_cleanup_hooks="{ $1 ; } >/dev/null 2>&1 || :
$_cleanup_hooks"
		if [ -z "$_cleanup_armed" ]; then
			_cleanup_armed=1
			if [ -n "${BASH_VERSION:-}" ]; then
				# keep a previously set EXIT trap (bash prints it as: trap -- 'cmd' EXIT)
				# shellcheck disable=SC3045 # bash only (BASH_VERSION checked)
				_cleanup_old=$(trap -p EXIT)
				if [ -n "$_cleanup_old" ]; then
					_cleanup_old=${_cleanup_old#trap -- }
					_cleanup_old=${_cleanup_old% EXIT}
					eval "_cleanup_old=$_cleanup_old"
					_cleanup_hooks="$_cleanup_hooks
{ $_cleanup_old ; } || :"
				fi
			fi
			trap '_cleanup_run; exit $?' EXIT
			trap 'exit 130' INT
			trap 'exit 143' TERM
			trap 'exit 129' HUP
		fi
	}
fi
