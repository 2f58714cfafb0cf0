/* tui.c: the interactive UI's loop: terminal setup and restore, poll() on stdin, the worker's
 * event pipe and the signal pipe; keys -> actions -> state -> effects; draw what changed. */
#include "config.h"

#include "tui/tui.h"

#include "core/session.h"
#include "tui/draw.h"
#include "tui/keymap.h"
#include "tui/state.h"
#include "tui/views.h"
#include "tui/worker.h"
#include "util/err.h"
#include "util/jsonx.h"
#include "util/trace.h"
#include "util/xmalloc.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The write end of the signal pipe: a signal handler can reach nothing else. Set once
 * before the handlers are installed; the only mutable file-scope state in the UI. */
static volatile sig_atomic_t tui_signal_fd = -1;

struct tui {
	struct tui_state st;
	struct draw_theme theme;
	struct worker *worker;
	volatile sig_atomic_t cancel;
	int sigpipe[2];
	int curses_on;
	FILE *bench; /* ECSFIX_TUI_BENCH: timings for bench/tui-bench.sh */
	struct timespec t0;
	struct trace *trace;
};

static double tui_ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 + (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

static void tui_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int fd = tui_signal_fd;

	if (fd >= 0 && write(fd, &c, 1) < 0) {
		/* nothing to do: the loop will not see it */
	}
}

/* Restores the terminal; safe to call more than once and from the fatal hook. */
static void tui_restore(void)
{
	if (!isendwin()) {
		curs_set(1);
		endwin();
	}
}

static void tui_signals(struct tui *t, int install)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = install ? tui_signal : SIG_DFL;
	if (install)
		tui_signal_fd = t->sigpipe[1];
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	if (!install)
		tui_signal_fd = -1;
}

/* curses key (from get_wch) -> our key code. */
static int tui_key(int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP:
			return TUI_KEY_UP;
		case KEY_DOWN:
			return TUI_KEY_DOWN;
		case KEY_LEFT:
			return TUI_KEY_LEFT;
		case KEY_RIGHT:
			return TUI_KEY_RIGHT;
		case KEY_PPAGE:
			return TUI_KEY_PGUP;
		case KEY_NPAGE:
			return TUI_KEY_PGDN;
		case KEY_HOME:
			return TUI_KEY_HOME;
		case KEY_END:
			return TUI_KEY_END;
		case KEY_ENTER:
			return TUI_KEY_ENTER;
		case KEY_BACKSPACE:
			return TUI_KEY_BACKSPACE;
		default:
			return -1;
		}
	}
	if (wc == '\n' || wc == '\r')
		return TUI_KEY_ENTER;
	if (wc == 127 || wc == 8)
		return TUI_KEY_BACKSPACE;
	if (wc == '\t')
		return TUI_KEY_TAB;
	return (int)wc;
}

/* Performs the effects the state asked for (jobs for the worker). */
static void tui_effects(struct tui *t)
{
	struct tui_state *st = &t->st;
	unsigned fx = st->fx;

	st->fx = 0;
	if (fx & TUI_FX_CANCEL)
		worker_cancel(t->worker);
	if (fx & TUI_FX_SCAN)
		worker_scan(t->worker);
	if (fx & TUI_FX_PLAN) {
		struct tui_plan_opts o = {st->opt_user, st->opt_netmode, st->opt_subnets,
					  st->opt_secgroups, st->opt_caps};

		worker_plan(t->worker, jsonx_clone(st->report), st->plan_target, &o);
	}
	if ((fx & TUI_FX_WRITE_PLAN) && st->plan && st->fx_path)
		worker_write_plan(t->worker, jsonx_clone(st->plan), st->fx_path, st->fx_overwrite);
	if ((fx & TUI_FX_APPLY) && st->plan)
		worker_apply(t->worker, jsonx_clone(st->plan), 0);
	if ((fx & TUI_FX_ROLLBACK) && st->plan)
		worker_apply(t->worker, jsonx_clone(st->plan), 1);
	if ((fx & TUI_FX_WRITE_MESSAGE) && st->plan && st->fx_path)
		worker_write_message(t->worker, jsonx_clone(st->plan), st->fx_path,
				     st->fx_overwrite);
	if ((fx & TUI_FX_EXCEPTION) && st->plan)
		worker_record_exception(t->worker, jsonx_str(st->plan, "target"), st->exc_reason,
					st->exc_until);
	if (fx & TUI_FX_DEREGISTER) {
		json_object *v = jsonx_obj(st->outcome, "verify");

		if (jsonx_str(v, "failedNewArn"))
			worker_deregister(t->worker, jsonx_str(v, "failedNewArn"));
	}
}

static unsigned tui_keys(struct tui *t, int *keys_read)
{
	unsigned rx = 0;
	wint_t wc;
	int rc;

	*keys_read = 0;
	while ((rc = get_wch(&wc)) != ERR) {
		struct tui_event ev = {0};
		int key;

		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			ev.type = TUI_EV_RESIZE;
			ev.rows = LINES;
			ev.cols = COLS;
			rx |= tui_state_apply(&t->st, &ev);
			continue;
		}
		(*keys_read)++;
		key = tui_key(rc, wc);
		if (key < 0)
			continue;
		ev.type = TUI_EV_ACTION;
		ev.action = keymap_lookup(tui_state_context(&t->st), key);
		if (ev.action == TUI_ACT_NONE && keymap_takes_text(tui_state_context(&t->st))) {
			ev.type = TUI_EV_CHAR;
			ev.ch = key;
		} else if (ev.action == TUI_ACT_NONE) {
			continue;
		}
		if (t->trace)
			trace_printf(t->trace, "tui: key %d -> %s", key,
				     tui_action_name(ev.action));
		rx |= tui_state_apply(&t->st, &ev);
		tui_effects(t);
		if (rx & TUI_RX_QUIT)
			break;
	}
	return rx;
}

static int tui_setup(struct tui *t, const struct tui_options *o)
{
	const char *nc = getenv("NO_COLOR");

	if (initscr() == NULL)
		return -1;
	t->curses_on = 1;
	xmalloc_set_fatal_hook(tui_restore);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	draw_theme_init(&t->theme, !o->no_color && !(nc && *nc));
	tui_state_init(&t->st, views_table(), o->read_only, LINES, COLS);
	return 0;
}

static int tui_loop(struct tui *t)
{
	unsigned rx = TUI_RX_ALL | TUI_RX_CLEAR;
	struct timespec last_tick;
	int first = 1, status = 0;

	clock_gettime(CLOCK_MONOTONIC, &last_tick);
	t->st.fx |= TUI_FX_SCAN;
	t->st.job = TUI_JOB_SCAN;
	t->st.busy_what = xstrdup("scanning");
	tui_effects(t);
	for (;;) {
		struct pollfd pfd[3] = {{STDIN_FILENO, POLLIN, 0},
					{worker_fd(t->worker), POLLIN, 0},
					{t->sigpipe[0], POLLIN, 0}};
		struct timespec key_t0;
		struct tui_event *ev;
		int nkeys;

		if (rx & TUI_RX_QUIT)
			break;
		if (rx) {
			draw_screen(&t->st, &t->theme, rx);
			if (first && t->bench) {
				struct timespec rt;

				clock_gettime(CLOCK_REALTIME, &rt);
				fprintf(t->bench,
					"first_frame_ms %.3f\nfirst_frame_epoch_ms %lld\n",
					tui_ms_since(&t->t0),
					(long long)rt.tv_sec * 1000 + rt.tv_nsec / 1000000);
				fflush(t->bench);
			}
			first = 0;
			rx = 0;
		}
		if (poll(pfd, 3, t->st.job != TUI_JOB_NONE ? 100 : 1000) < 0 && errno != EINTR)
			break;
		if (pfd[2].revents & POLLIN) {
			unsigned char sig = 0;

			if (read(t->sigpipe[0], &sig, 1) == 1) {
				status = 128 + sig;
				/* a change interrupted: say what happened, as q does */
				if (tui_state_busy_changing(&t->st))
					t->st.quit_after_cancel = 1;
				t->st.fx |= TUI_FX_CANCEL;
				tui_effects(t);
				break;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &key_t0);
		rx |= tui_keys(t, &nkeys);
		if (nkeys && t->bench && !(rx & TUI_RX_QUIT)) {
			draw_screen(&t->st, &t->theme, rx ? rx : TUI_RX_STATUS);
			rx = 0;
			fprintf(t->bench, "key_ms %.3f %s\n", tui_ms_since(&key_t0),
				t->st.job == TUI_JOB_SCAN ? "scanning" : "idle");
			fflush(t->bench);
		}
		while ((ev = worker_next(t->worker)) != NULL) {
			if (t->bench && ev->type == TUI_EV_SCAN_DONE)
				fprintf(t->bench, "scan_done_ms %.3f\n", tui_ms_since(&t->t0));
			rx |= tui_state_apply(&t->st, ev);
			tui_event_free(ev);
			tui_effects(t);
		}
		if (tui_ms_since(&last_tick) >= 100) {
			struct tui_event tick = {.type = TUI_EV_TICK};

			clock_gettime(CLOCK_MONOTONIC, &last_tick);
			rx |= tui_state_apply(&t->st, &tick);
		}
	}
	return status;
}

int tui_run(const struct tui_options *o)
{
	struct tui t;
	struct tui_backend b;
	struct err e;
	const char *bench = getenv("ECSFIX_TUI_BENCH");
	int rc = 2;

	memset(&t, 0, sizeof t);
	clock_gettime(CLOCK_MONOTONIC, &t.t0);
	err_clear(&e);
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs(
		    "ecsfix: the interactive UI needs a terminal (use 'ecsfix scan' in scripts)\n",
		    stderr);
		return 2;
	}
	if (o->debug_file) {
		t.trace = trace_new(NULL, o->debug_file);
		if (t.trace == NULL) {
			fprintf(stderr, "ecsfix: cannot open the trace file %s: %s\n",
				o->debug_file, strerror(errno));
			return 2;
		}
	}
	if (bench && *bench)
		t.bench = fopen(bench, "a");
	if (pipe(t.sigpipe) != 0) {
		fprintf(stderr, "ecsfix: cannot create a pipe: %s\n", strerror(errno));
		goto out;
	}
	fcntl(t.sigpipe[0], F_SETFL, O_NONBLOCK);
	fcntl(t.sigpipe[1], F_SETFL, O_NONBLOCK);
	{
		struct session_config sc = {o->profile,   o->region,        o->endpoint_url,
					    o->ca_bundle, o->no_verify_ssl, t.trace,
					    &t.cancel};

		backend_live_new(&sc, &o->targets, &b);
	}
	tui_signals(&t, 1);
	t.worker = worker_new(&b, &t.cancel, &e);
	if (t.worker == NULL) {
		b.ops->close(b.ctx);
		fprintf(stderr, "ecsfix: %s\n", e.msg);
		goto out;
	}
	if (tui_setup(&t, o)) {
		fputs("ecsfix: cannot initialise the terminal (is TERM set?)\n", stderr);
		goto out;
	}
	rc = tui_loop(&t);
out:
	if (t.curses_on)
		tui_restore();
	if (t.curses_on) {
		/* a change interrupted by quit: say what happened and how to resume */
		char *summary = tui_state_exit_summary(&t.st);

		if (summary) {
			fputs(summary, stderr);
			free(summary);
			if (rc == 0)
				rc = 130;
		}
	}
	xmalloc_set_fatal_hook(NULL);
	tui_signals(&t, 0);
	worker_free(t.worker);
	if (t.curses_on)
		tui_state_done(&t.st);
	if (t.sigpipe[0] > 0) {
		close(t.sigpipe[0]);
		close(t.sigpipe[1]);
	}
	if (t.bench)
		fclose(t.bench);
	trace_free(t.trace);
	return rc;
}
