#!/bin/sh
# test-tui-defects.sh: one check per TUI defect of issue 10 item 5, under tmux on the demo
# account in moto. Each section names the defect; each failed before its fix.
. "${TOP_SRCDIR:-.}/tests/lib/assert.sh"
. "${TOP_SRCDIR:-.}/tests/lib/tmux.sh"
. "${TOP_SRCDIR:-.}/tests/lib/moto.sh"
. "${TOP_SRCDIR:-.}/tests/tui/tui-lib.sh"

moto_start
moto_seed_demo -q >/dev/null || exit 99
tui_lib_init

# rows ROW-REGEX: the screen lines matching ROW-REGEX, into $OUT
rows() {
	OUT=$(tui_screen | grep -E -- "$1")
	LAST="rows $1"
}

# --- at 80x24: stale characters when switching lists; the revision's :N never cut;
# FINDINGS counts failing findings only (one per control)
TUI_W=80 TUI_H=24 launch ""
step "scanned: 9 services" 30
rows "storefront "
assert_match "storefront +web-storefr[a-z-]*~?:4 "
rows "billing-api"
assert_match "billing-api:2 +FARGATE +2/2 +- +awsvpc +ok +-$"
rows "gitlab-runner"
assert_match "root +2$"
tui_keys : f i n d i n g s Enter
step "Security Hub findings:"
tui_keys : s e r v i c e s Enter
step "Services: 9"
# every service row ends with its one FINDINGS cell: nothing left from the findings list
rows "^(ci|prod-eu|staging|tools) "
assert_no_match "[0-9-][0-9]$"
assert_match "root +2$"
tui_keys q
restored 0
tui_stop

# --- q in the help page closes the page (as in less), it does not quit
launch ""
step "scanned:" 30
tui_keys '?'
step "Everywhere"
# help: headings all filled (a heading is followed by a key line), no developer notes
run tui_screen
assert_no_match "generated from the key table"
OUT=$(tui_screen | awk 'NR > 2 && /^[A-Z]/ { if (prev) print "EMPTY HEADING: " prev; prev = $0; next }
	/^  / { prev = "" }')
LAST="help headings"
assert_no_match "EMPTY HEADING"
tui_keys q
step "CLUSTER"
run tui_screen
assert_no_match "TUI-EXITED"
tui_keys q
restored 0
tui_stop

# --- the "terminal too small" screen: keys typed blind do nothing
launch ""
step "scanned:" 30
tui_resize 70 20
step "terminal too small: 70x20"
tui_keys : f i n d i n g s Enter
tui_keys / x Enter d a y e s Enter
tui_resize 100 30
step "CLUSTER"
run tui_screen
assert_match "Services: 9, 7 failing"
assert_no_match "Security Hub findings|\[/|Diff:|Approve"
tui_keys q
restored 0
tui_stop

# --- / matches every field of a row, field:value, "no matches"; reopening / replaces
launch ""
step "scanned:" 30
tui_keys / d a t a d o g Enter # a container image and name, not a cell
step "[/datadog]"
rows "^(prod-eu|staging) "
assert_match "monitoring-agent"
assert_no_match "storefront"
tui_keys / t e a m = s t o r e f r o n t Enter # a tag; typing replaced "datadog"
step "[/team=storefront]"
rows "^(prod-eu|staging) "
assert_match "storefront"
assert_no_match "monitoring"
tui_keys / c l u s t e r : s t a g i n g Enter
step "[/cluster:staging]"
run tui_screen
assert_no_match "prod-eu +(storefront|monitoring)"
assert_match "staging +storefront"
tui_keys / z z z q Enter
step "[/zzzq: no matches]"
step "no matches (Esc clears the filter"
tui_keys Escape
step "Services: 9, 7 failing "
tui_keys q
restored 0
tui_stop

# --- :findings: problems first, by control number, one row per control and revision,
# SEVERITY whole; Enter on a finding whose revision is not in the scan explains, offers d
launch ""
step "scanned:" 30
tui_keys : f i n d i n g s Enter
step "Security Hub findings:"
OUT=$(tui_screen | awk '/^ECS\./ { print $1, $2, $5 }')
LAST="findings rows"
assert_match "^ECS.4 FAILED ci-runner:2"
# no FAILED row after a PASSED one
OUT=$(tui_screen | awk '/^ECS\.[0-9]+ +PASSED/ { p = 1 } /^ECS\.[0-9]+ +FAILED/ && p { print "FAILED AFTER PASSED" }')
assert_no_match "FAILED AFTER PASSED"
# FAILED rows: ECS.4 before ECS.17 before ECS.20
OUT=$(tui_screen | awk '/^ECS\.[0-9]+ +FAILED/ { print $1 }' | uniq | tr '\n' ' ')
assert_match "^ECS.4 ECS.17 ECS.20 $"
OUT=$(tui_screen | awk '/^ECS\./ { print $1, $2, $5 }' | sort | uniq -d)
assert_match "^$"
run tui_screen
assert_match "INFORMATIONAL"
tui_keys / l e g a c y Enter
step "[/legacy]"
tui_keys Enter
step "legacy-batch:2 is not in the scan."
step "d: the diff of its fix"
tui_keys d
step '"privileged": false' 30
tui_keys q
restored 0
tui_stop

# --- the diff: advice names keys, not CLI flags; a refused user keeps the previous diff
# and says why; p asks before overwriting
launch ""
step "scanned:" 30
tui_keys / g i t l a b Enter d
step '"privileged": false' 30
step "(key u)"
run tui_screen
assert_no_match "\-\-user|\-\-network-mode"
tui_keys G
step "u: user"
run tui_screen
assert_no_match "\-\-user|\-\-network-mode"
tui_keys u r o o t Enter
step "not applied:" 30
run tui_screen
assert_match "is root"
assert_match "the diff keeps the previous choice"
tui_keys g
step "Options: user (keep)"
step '"privileged": false'
tui_keys p Enter
step "plan written to ./ecsfix-plan-ci-runner-2.json"
echo "keep me" >>"$WORK/ecsfix-plan-ci-runner-2.json"
tui_keys p Enter
step "The file exists. Overwrite it? y/n"
tui_keys n
step "not written: ./ecsfix-plan-ci-runner-2.json exists"
run tail -1 "$WORK/ecsfix-plan-ci-runner-2.json"
assert_match "^keep me$"
tui_keys q
restored 0
tui_stop

# --- nothing to change (grafana) offers no approval
launch ""
step "scanned:" 30
tui_keys / g r a f a n a Enter d
step "Nothing to change" 30
run tui_screen
assert_no_match "a: approve|a approve"
tui_keys a
step "nothing to change: there is nothing to approve"
run tui_screen
assert_no_match "Approve the change"
tui_keys q
restored 0
tui_stop

# --- --read-only shows no approve anywhere (diff, status line, help)
launch "--read-only"
step "scanned:" 30
tui_keys / g i t l a b Enter d
step '"privileged": false' 30
tui_keys G
step "u: user"
run tui_screen
assert_no_match "a: approve|a approve"
tui_keys '?'
step "Everywhere"
run tui_screen
assert_no_match "approve"
tui_keys q q
restored 0
tui_stop

# --- one wording for busy: r while a (slow) scan runs
python3 "$TOP_SRCDIR/bench/delay_proxy.py" --target "$MOTO_URL" --delay-ms 300 \
	--port-file "$WORK/proxy.port" >/dev/null 2>&1 &
proxy=$!
cleanup_add "kill $proxy"
i=0
while [ ! -s "$WORK/proxy.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
launch "" "AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$WORK/proxy.port")"
step "loading..."
tui_keys r
step "busy: scanning (wait until it is done)"
tui_keys q
restored 0
tui_stop

# --- quit during a change: y/n without Enter, what happened and how to resume, exit 130
# (every request +1 s through a second proxy, so the change is still running when q comes)
python3 "$TOP_SRCDIR/bench/delay_proxy.py" --target "$MOTO_URL" --delay-ms 1000 \
	--port-file "$WORK/proxy2.port" >/dev/null 2>&1 &
proxy2=$!
cleanup_add "kill $proxy2"
i=0
while [ ! -s "$WORK/proxy2.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
launch "" "AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$WORK/proxy2.port")"
step "scanned:" 90
tui_keys / g i t l a b Enter d
step '"privileged": false' 60
tui_keys a
step "Approve the change"
tui_keys y e s Enter
step "Working..." 30
tui_keys q
step "A change is in flight. Quit"
tui_keys y
restored 130
run cat "$WORK/stderr"
assert_match "quit during the change of ci-runner"
assert_match "To resume: run ecsfix again"
tui_stop

finish
