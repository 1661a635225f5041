/* fuzz_ctl.c — libFuzzer target for the control socket's request parser
 * and the operator state file parser (both read outside input). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "opstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *argv[CTL_MAX_ARGS], err[256];
	struct opstate s;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	(void)ctl_parse_line(line, argv, CTL_MAX_ARGS, err, sizeof(err));
	memcpy(line, data, size);
	line[size] = '\0';
	if (opstate_parse(line, &s, NULL, NULL) == 0)
		opstate_free(&s);
	free(line);
	return 0;
}
