#!/bin/sh
# check-layers.sh: fails if a layer includes a higher one (DESIGN.md section 1) or if a
# banned function appears. Usage: check-layers.sh [SRC_DIR]  (default: $TOP_SRCDIR/src)
src=${1:-${TOP_SRCDIR:-.}/src}
status=0

# layer: the project headers it must not include (higher layers), and the system headers
layer_rule() {
	case $1 in
	util) echo 'aws/|core/|tui/|cli/|curses.h|ncurses|curl/|openssl/' ;;
	aws) echo 'core/|tui/|cli/|curses.h|ncurses' ;;
	core) echo 'tui/|cli/|curses.h|ncurses|curl/|openssl/' ;;
	tui) echo 'cli/|aws/|curl/|openssl/' ;;
	cli) echo '' ;;
	esac
}

for layer in util aws core tui cli; do
	[ -d "$src/$layer" ] || continue
	rule=$(layer_rule $layer)
	[ -n "$rule" ] || continue
	out=$(grep -EnH "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($rule)" \
		"$src/$layer"/*.[ch] 2>/dev/null)
	if [ -n "$out" ]; then
		echo "layering: $layer must not include a higher layer or foreign library:"
		echo "$out"
		status=1
	fi
done

# curl's banned list: unbounded or unchecked functions.
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\('
out=$(find "$src" -name '*.[ch]' -exec grep -EnH "$banned" {} + 2>/dev/null |
	grep -Ev '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
if [ -n "$out" ]; then
	echo "banned function (use snprintf, strbuf, strtol, strtok_r):"
	echo "$out"
	status=1
fi
exit $status
