/* fuzz_cfg.c — libFuzzer target for the INI parser: any bytes go to
 * cfg_parse_buffer() (NUL bytes included), once without hooks and once
 * with the command check of progcheck.c (syntax only: no file system)
 * and a scheduler that has an option and a flag (scheduler options);
 * whatever comes back is freed.
 * Build (from the top of the tree; the whole core, as the brief wants):
 *   clang -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
 *     -D_GNU_SOURCE -DLVSD_VERSION='"fuzz"' -DLVSD_PLUGINDIR='"/tmp"' \
 *     -DLVSD_SYSCONFDIR='"/etc"' -Icore/include -Icore \
 *     $(pkg-config --cflags libnl-genl-3.0 libnl-route-3.0) \
 *     tests/fuzz/fuzz_cfg.c $(ls core/[a-z]*.c | grep -v core/main.c) \
 *     $(pkg-config --libs libnl-genl-3.0 libnl-route-3.0 inih libsystemd) \
 *     -lnetsnmpagent -lnetsnmp -ldl -o fuzz_cfg
 * (the parser alone needs only core/cfg*.c core/model.c and -linih).
 * Run on a copy of the seeds, so the tree's corpus stays small:
 *   mkdir -p /tmp/c && cp -r tests/fuzz/corpus/cfg/. /tmp/c/ &&
 *   ./fuzz_cfg -max_total_time=30 -max_len=4096 /tmp/c
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "model.h"
#include "model_diff.h"
#include "progcheck.h"
#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int program(void *arg, const char *line, char *err, size_t len)
{
	(void)arg;
	return progcheck_line(line, PROGCHECK_SYNTAX, err, len);
}

/* A scheduler option "slow" (1..9) of every scheduler, flags "f1": the
 * paths that ask a scheduler plugin (errors, duplicates) are fuzzed too. */
static int sched_option(void *arg, const char *sched, const char *key,
			const char *value, char *err, size_t len)
{
	(void)arg;
	(void)sched;
	if (strcmp(key, "slow"))
		return -ENOENT;
	if (value[0] < '1' || value[0] > '9' || value[1]) {
		snprintf(err, len, "bad '%s'", value);
		return -EINVAL;
	}
	return 0;
}

static int sched_flag(void *arg, const char *sched, const char *flag,
		      uint32_t *bit, char *err, size_t len)
{
	(void)arg;
	if (strcmp(flag, "f1") == 0) {
		*bit = 0x8;
		return 0;
	}
	snprintf(err, len, "unknown flag '%s' for scheduler %s", flag, sched);
	return -ENOENT;
}

static void with_program_check(const uint8_t *data, size_t size)
{
	static const struct cfg_hooks h = { .program = program,
					    .sched_option = sched_option,
					    .sched_flag = sched_flag };
	struct cfg_errors errs = {0};
	struct model *m = NULL;

	cfg_parse_buffer("fuzz.ini", (const char *)data, size, &h, &m, &errs);
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.v[i].msg, "fuzz.ini:", 9) != 0)
			__builtin_trap();
	schema_free_model(m);
	cfg_errors_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_errors errs = {0};
	struct model *m = NULL;
	struct model_diff d;

	if (cfg_parse_buffer("fuzz.ini", (const char *)data, size, NULL, &m,
			     &errs) == 0) {
		/* a good model also goes through the diff, both ways */
		if (model_diff(NULL, m, &d) == 0)
			model_diff_free(&d);
		if (model_diff(m, m, &d) == 0) {
			if (d.n)
				__builtin_trap(); /* a model equals itself */
			model_diff_free(&d);
		}
	}
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.v[i].msg, "fuzz.ini:", 9) != 0)
			__builtin_trap(); /* every message says where */
	schema_free_model(m);
	cfg_errors_free(&errs);
	with_program_check(data, size);
	return 0;
}
